/// Knative's panic mode for bursts: when the short (panic) window asks for at least twice the
/// ready replicas, scale up to it at once and never down until a whole stable window has passed
/// without such a burst.
public struct BurstMode: Sendable, Equatable {
    public var stableWindowMs: Int64 = 60_000
    public var threshold = 2.0
    public private(set) var panicSinceMs: Int64? = nil
    private var maxPanicReplicas = 0

    public init(stableWindowMs: Int64 = 60_000, threshold: Double = 2.0) {
        self.stableWindowMs = stableWindowMs
        self.threshold = threshold
    }

    public var inBurst: Bool { panicSinceMs != nil }

    /// The replicas to run given what the stable and the panic windows ask for.
    public mutating func decide(at now: Int64, readyReplicas: Int, stableDesired: Int, panicDesired: Int) -> Int {
        let over = Double(panicDesired) / Double(max(1, readyReplicas)) >= threshold
        if over {
            panicSinceMs = now
        } else if let since = panicSinceMs, since + stableWindowMs < now {
            panicSinceMs = nil
            maxPanicReplicas = 0
        }
        guard panicSinceMs != nil else { return stableDesired }
        // In a burst: the larger of the two, and never lower than what the burst already reached.
        let desired = max(stableDesired, panicDesired, maxPanicReplicas)
        maxPanicReplicas = desired
        return desired
    }
}
