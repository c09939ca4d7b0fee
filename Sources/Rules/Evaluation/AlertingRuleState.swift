import PromQL

/// An alerting rule and its active alerts, advanced one evaluation at a time with Prometheus's
/// state machine: new results become pending, pending ones fire after `for`, firing ones stay
/// firing `keep_firing_for` after the condition clears, and resolved ones are kept 15 minutes.
public struct AlertingRuleState: Sendable {
    public private(set) var rule: AlertingRule
    public private(set) var active: [String: Alert] = [:]
    public var health = RuleHealth()
    /// False until `for` state is restored after a start; ALERTS series are written only after.
    public var restored = true

    static let resolvedRetentionMs: Int64 = 15 * 60_000

    public init(rule: AlertingRule) { self.rule = rule }

    /// Applies one evaluation's query result at `t`; returns the ALERTS and ALERTS_FOR_STATE
    /// samples, or throws when templated labels collide or the group's limit is exceeded.
    public mutating func apply(_ result: [VectorSample], at t: Int64, externalLabels: [String: String],
                               environment: TemplateEnvironment, limit: Int) throws(RuleError) -> [(labels: [String: String], value: Double)] {
        var fresh: [String: Alert] = [:]
        let rule = self.rule
        for sample in result {
            let expand = { (text: String) in
                Template.expandAlert(text, name: "__alert_\(rule.alert)", labels: sample.labels, value: sample.value,
                                     externalLabels: externalLabels, environment: environment)
            }
            var labels = sample.labels
            labels["__name__"] = nil
            for (name, text) in rule.labels { labels[name] = expand(text) }
            labels["alertname"] = rule.alert
            let annotations = rule.annotations.mapValues(expand)
            let key = Self.key(labels)
            if fresh[key] != nil { throw RuleError("vector contains metrics with the same labelset after applying alert labels") }
            fresh[key] = Alert(labels: labels, annotations: annotations, state: .pending, value: sample.value, activeAtMs: t)
        }
        for (key, alert) in fresh {
            if var existing = active[key], existing.state != .inactive {
                existing.value = alert.value
                existing.annotations = alert.annotations
                active[key] = existing
            } else {
                active[key] = alert
            }
        }
        var samples: [(labels: [String: String], value: Double)] = []
        var activeOrPending = 0
        for key in active.keys.sorted() {
            guard var a = active[key] else { continue }
            if fresh[key] == nil {
                var keepFiring = false
                if a.state == .firing && rule.keepFiringForMs > 0 {
                    if a.keepFiringSinceMs == 0 { a.keepFiringSinceMs = t }
                    keepFiring = t - a.keepFiringSinceMs < rule.keepFiringForMs
                }
                if a.state == .pending || (a.resolvedAtMs != 0 && t - a.resolvedAtMs > Self.resolvedRetentionMs) {
                    active[key] = nil
                    continue
                }
                if a.state != .inactive && !keepFiring {
                    a.state = .inactive
                    a.resolvedAtMs = t
                }
                active[key] = a
                if !keepFiring { continue }
            } else {
                a.keepFiringSinceMs = 0
            }
            activeOrPending += 1
            if a.state == .pending && t - a.activeAtMs >= rule.forMs {
                a.state = .firing
                a.firedAtMs = t
            }
            active[key] = a
            if restored {
                var series = a.labels
                series["__name__"] = "ALERTS"
                series["alertstate"] = a.state.rawValue
                samples.append((series, 1))
                var forState = a.labels
                forState["__name__"] = "ALERTS_FOR_STATE"
                samples.append((forState, Double(a.activeAtMs / 1000)))
            }
        }
        if limit > 0 && activeOrPending > limit {
            active = [:]
            throw RuleError("exceeded limit of \(limit) with \(activeOrPending) alerts")
        }
        return samples
    }

    /// Sets a pending alert's active-since time from the stored ALERTS_FOR_STATE series after a
    /// restart, as Prometheus restores `for` state (with its 10-minute grace period).
    public mutating func restore(key: String, storedActiveAtMs: Int64, lastSeenMs: Int64, at t: Int64, gracePeriodMs: Int64 = 10 * 60_000) {
        guard var a = active[key], a.state == .pending, rule.forMs > 0 else { return }
        let spentPending = lastSeenMs - storedActiveAtMs
        let remaining = rule.forMs - spentPending
        var activeAt = storedActiveAtMs
        if remaining <= 0 {
            // It was firing when it went down: it fires again at the next evaluation.
        } else if remaining < gracePeriodMs {
            activeAt = t + gracePeriodMs - rule.forMs
        } else {
            activeAt = storedActiveAtMs + (t - lastSeenMs)
        }
        a.activeAtMs = activeAt
        active[key] = a
    }

    func replacingRule(_ newRule: AlertingRule) -> AlertingRuleState {
        var copy = self
        copy.rule = newRule
        return copy
    }

    /// The identity of an alert: its label set.
    public static func key(_ labels: [String: String]) -> String {
        labels.keys.sorted().map { "\($0)\u{1}\(labels[$0]!)" }.joined(separator: "\u{2}")
    }

    mutating func replace(_ key: String, _ alert: Alert) { active[key] = alert }
}

/// Why a rule's evaluation failed; shown as its `lastError`.
public struct RuleError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
