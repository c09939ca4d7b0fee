import TSDB

/// One element of an instant vector: a label set and a float value. `dropName` marks a metric
/// name that Prometheus's delayed name removal drops only when the query's result is final.
public struct VectorSample: Sendable {
    public private(set) var labels: [String: String]
    public var value: Double
    public var dropName = false
    /// The stored series whose labels these are, unchanged (the name dropped when `withoutName`):
    /// lets a range query collect steps by number instead of hashing label sets.
    var ref: SeriesRef? = nil
    var withoutName = false

    public init(labels: [String: String], value: Double, dropName: Bool = false) {
        self.labels = labels
        self.value = value
        self.dropName = dropName
    }

    init(labels: [String: String], value: Double, ref: SeriesRef, withoutName: Bool = false, dropName: Bool = false) {
        self.labels = labels
        self.value = value
        self.ref = ref
        self.withoutName = withoutName
        self.dropName = dropName
    }
}

/// One series of a range vector: its labels and samples in time order.
public struct RangeSeries: Sendable {
    public var labels: [String: String]
    public var points: [(t: Int64, v: Double)]
    public var dropName = false

    public init(labels: [String: String], points: [(t: Int64, v: Double)], dropName: Bool = false) {
        self.labels = labels
        self.points = points
        self.dropName = dropName
    }
}

/// What a PromQL expression evaluates to.
public enum Value: Sendable {
    case scalar(Double)
    case string(String)
    case vector([VectorSample])
    case matrix([RangeSeries])
}

/// Why a query failed at evaluation time.
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension Dictionary where Key == String, Value == String {
    /// Labels without the metric name.
    var droppingName: [String: String] {
        var copy = self
        copy["__name__"] = nil
        return copy
    }

    /// A canonical text of the label set (for grouping and duplicate detection).
    var signature: String {
        keys.sorted().map { "\($0)\u{1}\(self[$0]!)" }.joined(separator: "\u{2}")
    }
}
