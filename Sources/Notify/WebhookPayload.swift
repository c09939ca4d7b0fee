import PromQL

/// Alertmanager's webhook payload, version 4: receiver, status, alerts (each with status and
/// fingerprint), groupLabels, commonLabels, commonAnnotations, externalURL, groupKey,
/// truncatedAlerts.
public struct WebhookPayload: Sendable {
    public let receiver: String
    public let groupKey: String
    public let groupLabels: [String: String]
    public let alerts: [NotifierAlert]
    public let now: Int64
    public let externalURL: String
    public let maxAlerts: Int

    public var status: String { alerts.contains { !WebhookGroups.resolved($0, now) } ? "firing" : "resolved" }

    /// The JSON body, keys in Alertmanager's order.
    public var json: String {
        let sorted = alerts.sorted { Self.fingerprint($0.labels) < Self.fingerprint($1.labels) }
        let shown = maxAlerts > 0 ? Array(sorted.prefix(maxAlerts)) : sorted
        let items = shown.map { a -> String in
            let resolved = WebhookGroups.resolved(a, now)
            return "{" + [
                #""status":\#(Self.string(resolved ? "resolved" : "firing"))"#, #""labels":\#(Self.map(a.labels))"#,
                #""annotations":\#(Self.map(a.annotations))"#, #""startsAt":\#(Self.string(Self.time(a.startsAtMs)))"#,
                #""endsAt":\#(Self.string(resolved ? Self.time(a.endsAtMs) : "0001-01-01T00:00:00Z"))"#,
                #""generatorURL":\#(Self.string(a.generatorURL))"#,
                #""fingerprint":\#(Self.string(Self.hex(Self.fingerprint(a.labels))))"#,
            ].joined(separator: ",") + "}"
        }
        func common(_ pick: (NotifierAlert) -> [String: String]) -> [String: String] {
            guard let first = alerts.first else { return [:] }
            return pick(first).filter { k, v in alerts.allSatisfy { pick($0)[k] == v } }
        }
        return "{" + [
            #""receiver":\#(Self.string(receiver))"#, #""status":\#(Self.string(status))"#, #""alerts":[\#(items.joined(separator: ","))]"#,
            #""groupLabels":\#(Self.map(groupLabels))"#, #""commonLabels":\#(Self.map(common(\.labels)))"#,
            #""commonAnnotations":\#(Self.map(common(\.annotations)))"#, #""externalURL":\#(Self.string(externalURL))"#,
            #""version":"4""#, #""groupKey":\#(Self.string(groupKey))"#, #""truncatedAlerts":\#(alerts.count - shown.count)"#,
        ].joined(separator: ",") + "}"
    }

    /// Alertmanager's fingerprint of a label set: FNV-1a 64 over sorted names and values, each
    /// followed by the byte 0xff.
    public static func fingerprint(_ labels: [String: String]) -> UInt64 {
        var h: UInt64 = 14_695_981_039_346_656_037
        func add(_ b: UInt8) { h = (h ^ UInt64(b)) &* 1_099_511_628_211 }
        for name in labels.keys.sorted() {
            for b in name.utf8 { add(b) }
            add(0xff)
            for b in labels[name]!.utf8 { add(b) }
            add(0xff)
        }
        return h
    }

    static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// `{a="1", b="2"}`, as Alertmanager prints label sets in group keys.
    static func labelsText(_ labels: [String: String]) -> String {
        "{" + labels.keys.sorted().map { "\($0)=\(string(labels[$0]!))" }.joined(separator: ", ") + "}"
    }

    static func time(_ ms: Int64) -> String { RFC3339.format(ms: ms) }

    static func map(_ m: [String: String]) -> String { "{" + m.keys.sorted().map { "\(string($0)):\(string(m[$0]!))" }.joined(separator: ",") + "}" }

    /// A JSON string, as Alertmanager's (Go's) encoder writes it.
    static func string(_ s: String) -> String { JSONString.quote(s) }
}
