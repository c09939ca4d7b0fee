#if canImport(Glibc)
import Glibc
#endif

/// A cumulative histogram fed by batches of observations drawn from an exponential
/// distribution of a known mean: what a server's latency histogram shows over a tick.
struct SimHistogram: Sendable {
    let bounds: [Double]
    private(set) var cumulative: [Double]
    private(set) var count = 0.0
    private(set) var sum = 0.0

    init(bounds: [Double]) {
        self.bounds = bounds
        cumulative = Array(repeating: 0, count: bounds.count)
    }

    /// Adds `n` observations with mean `mean` (plus a floor `minimum`, as service time has).
    mutating func observe(_ n: Double, mean: Double, minimum: Double = 0) {
        guard n > 0 else { return }
        let spread = max(mean - minimum, 1e-9)
        for (i, le) in bounds.enumerated() where le > minimum {
            cumulative[i] += n * (1 - exp(-(le - minimum) / spread))
        }
        count += n
        sum += n * max(mean, minimum)
    }

    /// (le, cumulative count) pairs including `+Inf`, counts as whole observations; bounds
    /// written as Go writes them (`1`) or, with `pythonStyle`, as Python and Java do (`1.0`).
    func buckets(pythonStyle: Bool = false) -> [(String, Double)] {
        var out: [(String, Double)] = []
        var previous = 0.0
        for (le, c) in zip(bounds, cumulative) {
            // Whole counts that never fall below a lower bucket's.
            let v = max(previous, c.rounded(.down))
            out.append((formatBound(le, pythonStyle: pythonStyle), v))
            previous = v
        }
        out.append(("+Inf", max(previous, count.rounded(.down))))
        return out
    }

    var wholeCount: Double { buckets().last!.1 }
}

/// A bucket bound as Go writes it (`0.005`, `1`, `2.5`) or as Python and Java do (`1.0`).
func formatBound(_ v: Double, pythonStyle: Bool) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return pythonStyle ? "\(Int64(v)).0" : String(Int64(v)) }
    return "\(v)"
}
