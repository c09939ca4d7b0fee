/// How wrong a signal's forecasts have recently been: each forecast is kept until its time comes,
/// then compared with the value seen, and the absolute errors are averaged with exponential
/// weights (the last ten or so count most), in the signal's units.
public struct ForecastError: Sendable, Codable, Equatable {
    struct Pending: Sendable, Codable, Equatable { var dueMs: Int64; var value: Double }
    private var pending: [Pending] = []
    /// Weight of the newest error in the average.
    public var weight = 0.1
    public private(set) var meanAbsoluteError: Double?
    public private(set) var count = 0

    public init() {}

    /// A forecast for `dueMs`.
    public mutating func forecast(_ value: Double, dueMs: Int64) {
        pending.append(Pending(dueMs: dueMs, value: value))
        if pending.count > 10_000 { pending.removeFirst(pending.count - 10_000) }
    }

    /// The value seen at `t`: every forecast due by then is scored against it.
    public mutating func observe(_ actual: Double, at t: Int64) {
        guard actual.isFinite else { return }
        while let first = pending.first, first.dueMs <= t {
            pending.removeFirst()
            let error = abs(actual - first.value)
            meanAbsoluteError = meanAbsoluteError.map { $0 + weight * (error - $0) } ?? error
            count += 1
        }
    }
}
