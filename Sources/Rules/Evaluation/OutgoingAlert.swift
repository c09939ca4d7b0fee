/// An alert handed to the notifier, as Prometheus's rule manager hands it over: starts when it
/// began firing, ends at its resolution or, while firing, at `validUntil` (now plus four times
/// the larger of resend delay and evaluation interval).
public struct OutgoingAlert: Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAtMs: Int64
    public var endsAtMs: Int64
    public var generatorURL: String

    public init(labels: [String: String], annotations: [String: String], startsAtMs: Int64, endsAtMs: Int64, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAtMs = startsAtMs
        self.endsAtMs = endsAtMs
        self.generatorURL = generatorURL
    }
}

extension AlertingRuleState {
    /// The alerts due to be sent at `t` (firing ones every `resendDelay`, a resolution at once and
    /// then every `resendDelay` while it is kept); marks them sent.
    mutating func due(at t: Int64, resendDelayMs: Int64, intervalMs: Int64, externalURL: String) -> [OutgoingAlert] {
        var out: [OutgoingAlert] = []
        let expr = rule.expr.description
        let link = externalURL + "/graph?g0.expr=" + Self.queryEscape(expr) + "&g0.tab=1"
        for key in active.keys.sorted() {
            guard var a = active[key], a.state != .pending else { continue }
            let needs = a.resolvedAtMs > a.lastSentAtMs || a.lastSentAtMs + resendDelayMs < t
            guard needs else { continue }
            a.lastSentAtMs = t
            a.validUntilMs = t + 4 * max(resendDelayMs, intervalMs)
            replace(key, a)
            out.append(OutgoingAlert(labels: a.labels, annotations: a.annotations, startsAtMs: a.firedAtMs,
                                     endsAtMs: a.resolvedAtMs != 0 ? a.resolvedAtMs : a.validUntilMs, generatorURL: link))
        }
        return out
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(b))
            case UInt8(ascii: " "): out += "+"
            default: out += (b < 16 ? "%0" : "%") + String(b, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
