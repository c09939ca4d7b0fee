/// Why a query was stopped before it finished.
public enum QueryStop: Error, Sendable, Equatable, CustomStringConvertible {
    /// More samples than the limit would be held at once.
    case tooManySamples(limit: Int)
    case timeout
    case canceled

    public var description: String {
        switch self {
        case .tooManySamples: "query processing would load too many samples into memory in query execution"
        case .timeout: "query timed out in query execution"
        case .canceled: "query was canceled in query execution"
        }
    }
}

/// The limits of one query: samples held (those loaded for the current step plus the result so
/// far), a deadline and a cancellation check, consulted at every selector and step.
final class QueryBudget {
    let maxSamples: Int
    let deadline: ContinuousClock.Instant?
    let isCancelled: @Sendable () -> Bool
    /// Samples held for one step: what it selected, and the result so far.
    var held = 0
    /// Samples held for the whole query: the decoded selections.
    var loaded = 0

    init(_ limits: QueryLimits) {
        maxSamples = limits.maxSamples
        deadline = limits.timeout.map { ContinuousClock.now + $0 }
        isCancelled = limits.isCancelled
    }

    func load(_ count: Int) throws(QueryStop) {
        held += count
        if held + loaded > maxSamples { throw .tooManySamples(limit: maxSamples) }
    }

    func keep(_ count: Int) throws(QueryStop) {
        loaded += count
        if held + loaded > maxSamples { throw .tooManySamples(limit: maxSamples) }
    }

    func check() throws(QueryStop) {
        if let deadline, ContinuousClock.now > deadline { throw .timeout }
        if isCancelled() { throw .canceled }
    }
}

/// Limits a query runs under; Prometheus's defaults.
public struct QueryLimits: Sendable {
    public var maxSamples = 50_000_000
    public var timeout: Duration? = .seconds(120)
    public var isCancelled: @Sendable () -> Bool = { false }

    public init(maxSamples: Int = 50_000_000, timeout: Duration? = .seconds(120), isCancelled: @escaping @Sendable () -> Bool = { false }) {
        self.maxSamples = maxSamples
        self.timeout = timeout
        self.isCancelled = isCancelled
    }
}
