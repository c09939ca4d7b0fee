import ConfigSupport
import Notify

extension AlertingRuleState {
    /// The alerts due to be sent at `t`, as Prometheus's rule manager hands them to its notifier
    /// (firing ones every `resendDelay`, a resolution at once and then every `resendDelay` while
    /// it is kept): starts when it began firing, ends at its resolution or, while firing, at
    /// `validUntil` (now plus four times the larger of resend delay and evaluation interval).
    /// Marks them sent.
    mutating func due(at t: Int64, resendDelayMs: Int64, intervalMs: Int64, externalURL: String) -> [NotifierAlert] {
        var out: [NotifierAlert] = []
        let expr = rule.expr.description
        let link = externalURL + "/graph?g0.expr=" + URLQueryEscape.escape(expr) + "&g0.tab=1"
        for key in active.keys.sorted() {
            guard var a = active[key], a.state != .pending else { continue }
            let needs = a.resolvedAtMs > a.lastSentAtMs || a.lastSentAtMs + resendDelayMs < t
            guard needs else { continue }
            a.lastSentAtMs = t
            a.validUntilMs = t + 4 * max(resendDelayMs, intervalMs)
            replace(key, a)
            out.append(NotifierAlert(labels: a.labels, annotations: a.annotations, startsAtMs: a.firedAtMs,
                                     endsAtMs: a.resolvedAtMs != 0 ? a.resolvedAtMs : a.validUntilMs, generatorURL: link))
        }
        return out
    }
}
