/// KEDA's activation for idle models: active (at least one replica) while the signal is above
/// the activation threshold, and down to zero once it has stayed at or below it for the
/// cooldown period (300 s by default).
public struct ScaleToZero: Sendable, Equatable {
    public var activationThreshold = 0.0
    public var cooldownMs: Int64 = 300_000
    public private(set) var lastActiveMs: Int64? = nil

    public init(activationThreshold: Double = 0, cooldownMs: Int64 = 300_000) {
        self.activationThreshold = activationThreshold
        self.cooldownMs = cooldownMs
    }

    /// `desired` when active; 0 once idle past the cooldown; at least `minReplicas` when waking.
    public mutating func apply(at now: Int64, signal: Double, desired: Int, minReplicas: Int = 1) -> Int {
        // No number (NaN, ±Inf): not a sign of idleness; nothing changes.
        if !signal.isFinite { return lastActiveMs == nil ? desired : max(desired, minReplicas) }
        if signal > activationThreshold {
            lastActiveMs = now
            return max(desired, minReplicas)
        }
        if let last = lastActiveMs, now - last < cooldownMs { return max(desired, minReplicas) }
        return 0
    }
}
