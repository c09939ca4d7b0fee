import Foundation
import Notify
import Testing

/// Webhook grouping and timing follow Alertmanager: group_wait, group_interval on change,
/// repeat_interval without change, resolutions once, and the version-4 payload.
@Suite struct WebhookGroupsTests {
    static func alert(_ name: String, queue: String, endsAt: Int64 = 10_000_000) -> NotifierAlert {
        NotifierAlert(labels: ["alertname": name, "cluster_queue": queue, "severity": "warning"], annotations: ["summary": "Queue stuck."],
                      startsAtMs: 1_000, endsAtMs: endsAt, generatorURL: "http://sw:9090/graph?g0.expr=x&g0.tab=1")
    }

    static func config() -> WebhookConfig {
        var c = WebhookConfig(name: "oncall", url: "http://127.0.0.1:1/hook")
        c.groupBy = ["alertname"]
        c.groupWaitMs = 30_000
        c.groupIntervalMs = 300_000
        c.repeatIntervalMs = 3_600_000
        return c
    }

    @Test func timingFollowsAlertmanager() {
        var g = WebhookGroups(config: Self.config())
        g.receive([Self.alert("KueueStuck", queue: "a")], now: 0)
        #expect(g.due(now: 29_000, externalURL: "").isEmpty)
        let first = g.due(now: 30_000, externalURL: "http://sw:9090")
        #expect(first.count == 1 && first[0].status == "firing" && first[0].alerts.count == 1)
        // A second alert of the group waits for the group interval.
        g.receive([Self.alert("KueueStuck", queue: "b")], now: 60_000)
        #expect(g.due(now: 100_000, externalURL: "").isEmpty)
        let second = g.due(now: 330_000, externalURL: "")
        #expect(second.count == 1 && second[0].alerts.count == 2)
        // Unchanged: nothing at the next intervals until the repeat interval has passed.
        #expect(g.due(now: 630_000, externalURL: "").isEmpty)
        #expect(g.due(now: 3_630_000, externalURL: "").isEmpty)
        #expect(g.due(now: 3_930_000, externalURL: "").count == 1)
        // Both resolve: one resolved notification, then the group is gone.
        g.receive([Self.alert("KueueStuck", queue: "a", endsAt: 4_000_000), Self.alert("KueueStuck", queue: "b", endsAt: 4_000_000)], now: 4_000_000)
        let resolved = g.due(now: 4_230_000, externalURL: "")
        #expect(resolved.count == 1 && resolved[0].status == "resolved")
        #expect(g.due(now: 4_530_000, externalURL: "").isEmpty)
    }

    @Test func groupsByTheConfiguredLabelsAndCanSkipResolutions() {
        var c = Self.config()
        c.groupBy = ["alertname", "cluster_queue"]
        c.sendResolved = false
        var g = WebhookGroups(config: c)
        g.receive([Self.alert("KueueStuck", queue: "a"), Self.alert("KueueStuck", queue: "b")], now: 0)
        let due = g.due(now: 30_000, externalURL: "")
        #expect(due.count == 2 && Set(due.map { $0.groupLabels["cluster_queue"] ?? "" }) == ["a", "b"])
        g.receive([Self.alert("KueueStuck", queue: "a", endsAt: 40_000)], now: 40_000)
        #expect(g.due(now: 330_000, externalURL: "").isEmpty)
    }

    @Test func payloadIsAlertmanagersVersionFour() throws {
        var c = Self.config()
        c.maxAlerts = 1
        var g = WebhookGroups(config: c)
        g.receive([Self.alert("KueueStuck", queue: "a"), Self.alert("KueueStuck", queue: "b")], now: 0)
        let payload = try #require(g.due(now: 30_000, externalURL: "http://sw:9090").first)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(payload.json.utf8)) as? [String: Any])
        #expect(json["version"] as? String == "4" && json["receiver"] as? String == "oncall" && json["status"] as? String == "firing")
        #expect(json["groupKey"] as? String == #"{}:{alertname="KueueStuck"}"#)
        #expect(json["groupLabels"] as? [String: String] == ["alertname": "KueueStuck"])
        #expect(json["commonLabels"] as? [String: String] == ["alertname": "KueueStuck", "severity": "warning"])
        #expect(json["commonAnnotations"] as? [String: String] == ["summary": "Queue stuck."])
        #expect(json["externalURL"] as? String == "http://sw:9090" && json["truncatedAlerts"] as? Int == 1)
        let alert = try #require((json["alerts"] as? [[String: Any]])?.first)
        #expect(alert["status"] as? String == "firing" && alert["endsAt"] as? String == "0001-01-01T00:00:00Z")
        #expect(alert["startsAt"] as? String == "1970-01-01T00:00:01Z")
        #expect((alert["fingerprint"] as? String)?.count == 16)
    }
}
