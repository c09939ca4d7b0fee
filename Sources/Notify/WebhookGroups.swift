/// Alertmanager's aggregation groups for one webhook: alerts grouped by the `group_by` labels,
/// each group notified `group_wait` after it appears, then at most every `group_interval` when
/// its alerts changed, or every `repeat_interval` when they did not. Resolved alerts are sent
/// once (with `send_resolved`) and then forgotten. Pure state: the dispatcher drives it by time.
public struct WebhookGroups: Sendable {
    struct Group: Sendable {
        var labels: [String: String]
        var alerts: [UInt64: NotifierAlert] = [:]
        var createdMs: Int64
        var nextFlushMs: Int64
        var lastSentMs: Int64 = 0
        var lastFiring: Set<UInt64> = []
        var lastResolved: Set<UInt64> = []
        var notified = false
    }

    public let config: WebhookConfig
    private(set) var groups: [String: Group] = [:]

    public init(config: WebhookConfig) { self.config = config }

    /// Takes in alerts received at `now` (a newer version of an alert replaces the older).
    public mutating func receive(_ alerts: [NotifierAlert], now: Int64) {
        for a in alerts {
            let groupLabels = Dictionary(uniqueKeysWithValues: config.groupBy.compactMap { k in a.labels[k].map { (k, $0) } })
            let key = WebhookPayload.labelsText(groupLabels)
            if groups[key] == nil {
                // A resolution for a group nobody was told about is not worth a notification.
                if a.endsAtMs != 0 && a.endsAtMs <= now { continue }
                groups[key] = Group(labels: groupLabels, createdMs: now, nextFlushMs: now + config.groupWaitMs)
            }
            groups[key]!.alerts[WebhookPayload.fingerprint(a.labels)] = a
        }
    }

    /// The payloads due at `now`, and the groups updated as if they were sent.
    public mutating func due(now: Int64, externalURL: String) -> [WebhookPayload] {
        var out: [WebhookPayload] = []
        for key in groups.keys.sorted() {
            guard var g = groups[key], now >= g.nextFlushMs else { continue }
            g.nextFlushMs = now + config.groupIntervalMs
            let firing = Set(g.alerts.filter { !Self.resolved($0.value, now) }.keys)
            let resolved = Set(g.alerts.filter { Self.resolved($0.value, now) }.keys)
            let changed = firing != g.lastFiring || (config.sendResolved && !resolved.subtracting(g.lastResolved).isEmpty)
            let repeatDue = g.notified && !firing.isEmpty && now - g.lastSentMs >= config.repeatIntervalMs
            if (changed && !(firing.isEmpty && !config.sendResolved)) || repeatDue {
                let included = g.alerts.values.filter { !Self.resolved($0, now) || config.sendResolved }
                out.append(WebhookPayload(receiver: config.name, groupKey: "{}:" + key, groupLabels: g.labels, alerts: included,
                                          now: now, externalURL: externalURL, maxAlerts: config.maxAlerts))
                g.lastSentMs = now
                g.notified = true
                g.lastFiring = firing
                g.lastResolved = resolved
            }
            // Resolved alerts that were told (or need not be) are forgotten; an empty group goes.
            for fp in resolved { g.alerts[fp] = nil }
            g.lastResolved = []
            groups[key] = g.alerts.isEmpty ? nil : g
        }
        return out
    }

    static func resolved(_ a: NotifierAlert, _ now: Int64) -> Bool { a.endsAtMs != 0 && a.endsAtMs <= now }
}
