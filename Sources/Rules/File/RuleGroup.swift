import PromQL

/// One group of a rule file: rules evaluated in order at the group's interval.
public struct RuleGroup: Sendable {
    public var name: String
    /// Nil: the global `evaluation_interval`.
    public var intervalMs: Int64?
    /// The most series a rule may produce (0: no limit).
    public var limit = 0
    /// How far back the group evaluates (Prometheus's `query_offset`); nil uses the global one.
    public var queryOffsetMs: Int64?
    public var rules: [Rule] = []
    /// The file the group came from (groups are keyed by file and name).
    public var file: String
}

/// A recording or an alerting rule.
public enum Rule: Sendable {
    case recording(RecordingRule)
    case alerting(AlertingRule)

    public var expr: Expr {
        switch self {
        case .recording(let r): r.expr
        case .alerting(let a): a.expr
        }
    }

    public var exprText: String {
        switch self {
        case .recording(let r): r.exprText
        case .alerting(let a): a.exprText
        }
    }

    public var name: String {
        switch self {
        case .recording(let r): r.record
        case .alerting(let a): a.alert
        }
    }
}

/// `record: name`, `expr`, `labels`: the result is stored under the new name.
public struct RecordingRule: Sendable {
    public var record: String
    public var expr: Expr
    public var exprText: String
    public var labels: [String: String]
}

/// `alert: Name`, `expr`, `for`, `keep_firing_for`, `labels`, `annotations`.
public struct AlertingRule: Sendable {
    public var alert: String
    public var expr: Expr
    public var exprText: String
    public var forMs: Int64 = 0
    public var keepFiringForMs: Int64 = 0
    /// Label and annotation values are templates.
    public var labels: [String: String] = [:]
    public var annotations: [String: String] = [:]
}
