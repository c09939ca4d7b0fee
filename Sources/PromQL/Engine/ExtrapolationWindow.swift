/// The samples of one window as `rate`, `increase` and `delta` need them, gathered in one pass:
/// first and last sample, count, and the change with counter resets added back.
struct ExtrapolationWindow {
    private(set) var count = 0
    private var firstT: Int64 = 0, firstV = 0.0
    private var lastT: Int64 = 0, lastV = 0.0
    private var resets = 0.0

    init() {}

    /// A window of `count` samples whose resets are known to be none.
    init(first: (Int64, Double), last: (Int64, Double), count: Int) {
        (firstT, firstV) = first
        (lastT, lastV) = last
        self.count = count
    }

    mutating func add(_ t: Int64, _ v: Double, counter: Bool) {
        if count == 0 {
            (firstT, firstV) = (t, v)
        } else if counter && v < lastV {
            resets += lastV
        }
        (lastT, lastV) = (t, v)
        count += 1
    }

    /// Prometheus's `extrapolatedRate` over `(start, end]`; nil with fewer than two samples.
    func value(start: Int64, end: Int64, counter: Bool, rate: Bool) -> Double? {
        guard count >= 2 else { return nil }
        let result = lastV - firstV + resets
        var toStart = Double(firstT - start) / 1000
        var toEnd = Double(end - lastT) / 1000
        let sampled = Double(lastT - firstT) / 1000
        let average = sampled / Double(count - 1)
        let threshold = average * 1.1
        if toStart >= threshold { toStart = average / 2 }
        if counter && result > 0 && firstV >= 0 {
            let toZero = sampled * (firstV / result)
            if toZero < toStart { toStart = toZero }
        }
        if toEnd >= threshold { toEnd = average / 2 }
        var factor = (sampled + toStart + toEnd) / sampled
        if rate { factor /= Double(end - start) / 1000 }
        return result * factor
    }
}
