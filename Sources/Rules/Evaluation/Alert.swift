/// Where an alert is in its life: pending until its `for` has passed, then firing, and
/// inactive once resolved (kept 15 minutes so the resolution is sent).
public enum AlertState: String, Sendable {
    case inactive, pending, firing
}

/// One alert of a rule: its labels (the query's, the rule's, `alertname`), annotations and times
/// (milliseconds; 0 when not set).
public struct Alert: Sendable {
    public var labels: [String: String]
    public var annotations: [String: String]
    public var state: AlertState
    public var value: Double
    public var activeAtMs: Int64
    public var firedAtMs: Int64 = 0
    public var resolvedAtMs: Int64 = 0
    public var lastSentAtMs: Int64 = 0
    public var validUntilMs: Int64 = 0
    public var keepFiringSinceMs: Int64 = 0
}

/// A rule's result at one evaluation: its health and what it produced.
public struct RuleHealth: Sendable {
    public enum Status: String, Sendable { case unknown, ok, err }
    public var status = Status.unknown
    public var lastError = ""
    public var lastEvaluationMs: Int64 = 0
    public var evaluationSeconds = 0.0
}
