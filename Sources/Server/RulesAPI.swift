import PromQL
import Rules

/// `/api/v1/rules` and `/api/v1/alerts` in Prometheus's JSON: groups with their rules' health,
/// last error and evaluation times; alerting rules with their pending and firing alerts.
enum RulesAPI {
    static func rules(_ groups: [GroupState], type: String?) -> String {
        let body = groups.map { g -> String in
            let rules = g.group.rules.enumerated().compactMap { i, rule -> String? in
                switch rule {
                case .recording(let r):
                    guard type == nil || type == "record" else { return nil }
                    return JSONText.object(common(g, i) .merging([
                        "name": JSONText.string(r.record), "query": JSONText.string(r.expr.description),
                        "labels": labels(r.labels), "type": JSONText.string("recording"),
                    ]) { a, _ in a })
                case .alerting(let a):
                    guard type == nil || type == "alert", let state = g.alerting[i] else { return nil }
                    let alerts = state.active.values.filter { $0.state != .inactive }.sorted { $0.activeAtMs < $1.activeAtMs }
                    let overall = alerts.contains { $0.state == .firing } ? "firing" : alerts.isEmpty ? "inactive" : "pending"
                    return JSONText.object(common(g, i).merging([
                        "state": JSONText.string(overall), "name": JSONText.string(a.alert), "query": JSONText.string(a.expr.description),
                        "duration": GoFloat.format(Double(a.forMs) / 1000), "keepFiringFor": GoFloat.format(Double(a.keepFiringForMs) / 1000),
                        "labels": labels(a.labels), "annotations": labels(a.annotations), "alerts": "[" + alerts.map(alert).joined(separator: ",") + "]",
                        "type": JSONText.string("alerting"),
                    ]) { a, _ in a })
                }
            }
            return JSONText.object([
                "name": JSONText.string(g.group.name), "file": JSONText.string(g.group.file), "rules": "[" + rules.joined(separator: ",") + "]",
                "interval": GoFloat.format(Double(g.group.intervalMs ?? 60_000) / 1000), "limit": String(g.group.limit),
                "evaluationTime": GoFloat.format(g.evaluationSeconds), "lastEvaluation": JSONText.string(RFC3339.format(ms: g.lastEvaluationMs)),
            ])
        }
        return #"{"status":"success","data":{"groups":["# + body.joined(separator: ",") + "]}}"
    }

    static func alerts(_ groups: [GroupState]) -> String {
        let all = groups.flatMap { $0.alerting.values.flatMap { $0.active.values } }.filter { $0.state != .inactive }.sorted { $0.activeAtMs < $1.activeAtMs }
        return #"{"status":"success","data":{"alerts":["# + all.map(alert).joined(separator: ",") + "]}}"
    }

    static func common(_ g: GroupState, _ i: Int) -> [String: String] {
        let h = g.health[i]
        return [
            "health": JSONText.string(h.status.rawValue), "lastError": JSONText.string(h.lastError),
            "evaluationTime": GoFloat.format(h.evaluationSeconds), "lastEvaluation": JSONText.string(RFC3339.format(ms: h.lastEvaluationMs)),
        ]
    }

    /// An alert as the API shows it; the value as Go's `FormatFloat(v, 'e', -1, 64)`.
    static func alert(_ a: Alert) -> String {
        var fields = [
            "labels": labels(a.labels), "annotations": labels(a.annotations), "state": JSONText.string(a.state.rawValue),
            "activeAt": JSONText.string(RFC3339.format(ms: a.activeAtMs)), "value": JSONText.string(exponent(a.value)),
        ]
        if a.keepFiringSinceMs != 0 { fields["keepFiringSince"] = JSONText.string(RFC3339.format(ms: a.keepFiringSinceMs)) }
        return JSONText.object(fields)
    }

    static func labels(_ l: [String: String]) -> String { JSONText.object(l.mapValues(JSONText.string)) }

    /// Go's `strconv.FormatFloat(v, 'e', -1, 64)`: `1e+00`, `2.5e-01`, `1.2345e+06`.
    static func exponent(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        if v == 0 { return v.sign == .minus ? "-0e+00" : "0e+00" }
        let text = "\(v.magnitude)"
        // The shortest digits of the value, and the decimal exponent.
        var digits = "", exp = 0
        if let e = text.firstIndex(where: { $0 == "e" }) {
            let mantissa = text[..<e]
            exp = Int(text[text.index(after: e)...]) ?? 0
            digits = mantissa.filter { $0 != "." }
            exp += (mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) } ?? mantissa.count) - 1
        } else {
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            let whole = String(parts[0]), frac = parts.count > 1 ? String(parts[1]) : ""
            let all = whole + frac
            let firstNonZero = all.firstIndex { $0 != "0" }!
            let lead = all.distance(from: all.startIndex, to: firstNonZero)
            digits = String(all[firstNonZero...])
            exp = whole.count - 1 - lead
        }
        while digits.count > 1 && digits.hasSuffix("0") { digits.removeLast() }
        let mantissa = digits.count > 1 ? "\(digits.first!).\(digits.dropFirst())" : digits
        let sign = exp < 0 ? "-" : "+"
        let e = abs(exp) < 10 ? "0\(abs(exp))" : "\(abs(exp))"
        return (v < 0 ? "-" : "") + mantissa + "e" + sign + e
    }
}
