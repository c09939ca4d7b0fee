import Foundation
import Hummingbird
import NIOCore
import Notify
import Synchronization
import Testing
import TestSupport

/// Scalewatch → the real Alertmanager 0.25 → a webhook receiver the test runs: an alert that
/// fires appears in Alertmanager with its labels and annotations and reaches the receiver; with
/// Alertmanager stopped for a minute, an alert that fired meanwhile arrives once it is back; the
/// receiver hears of each alert once (no repeats within Alertmanager's repeat interval); and
/// the resolution arrives when the condition clears.
@Suite(.serialized) struct AlertmanagerInteropTests {
    static func startAlertmanager(_ dir: String, port: Int) throws -> ChildProcess {
        try ChildProcess("/usr/bin/prometheus-alertmanager", [
            "--config.file=\(dir)/am.yml", "--storage.path=\(dir)/am", "--web.listen-address=127.0.0.1:\(port)",
            "--cluster.listen-address=",
        ])
    }

    @Test func alertsReachTheReceiverThroughAlertmanagerAndSurviveItsOutage() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        // The scraped target: two gauges the test turns up and down.
        let load = Mutex<(queue: Double, cache: Double)>((1, 0.1))
        let target = try await TestTargetServer.start { _ in
            let (q, c) = load.withLock { $0 }
            return TestTargetServer.text("# TYPE waiting gauge\nwaiting \(q)\n# TYPE cache gauge\ncache \(c)\n")
        }
        defer { Task { await target.stop() } }
        // The on-call webhook: every payload Alertmanager posts.
        let bodies = Mutex<[Data]>([])
        let hook = try await TestTargetServer.start(method: .post) { request in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            bodies.withLock { $0.append(Data(buffer: body)) }
            return TestTargetServer.text("ok")
        }
        @Sendable func received() -> [[String: Any]] {
            bodies.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
        // A direct on-call webhook of Scalewatch's own (no Alertmanager in between).
        let directBodies = Mutex<[Data]>([])
        let direct = try await TestTargetServer.start(method: .post) { request in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            directBodies.withLock { $0.append(Data(buffer: body)) }
            return TestTargetServer.text("ok")
        }
        defer { Task { await direct.stop() } }
        @Sendable func directPayloads() -> [[String: Any]] {
            directBodies.withLock { $0 }.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        }
        defer { Task { await hook.stop() } }
        let amPort = freeLoopbackPort()
        try """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 2s
              repeat_interval: 1h
            receivers:
              - name: hook
                webhook_configs:
                  - url: http://127.0.0.1:\(hook.port)/hook
                    send_resolved: true
            """.write(toFile: dir.path + "/am.yml", atomically: true, encoding: .utf8)
        let alertmanager = try Self.startAlertmanager(dir.path, port: amPort)
        defer { Task { await alertmanager.stop() } }
        #expect(await EndToEndTests.eventually(20) { try await EndToEndTests.get("http://127.0.0.1:\(amPort)/-/ready").status == 200 })

        try """
            groups:
              - name: oncall
                interval: 1s
                rules:
                  - alert: QueueBacklog
                    expr: waiting > 10
                    labels: {severity: warning}
                    annotations:
                      summary: Requests wait.
                      description: '{{ $value }} requests wait.'
                  - alert: CacheFull
                    expr: cache > 0.9
                    labels: {severity: warning}
                    annotations:
                      summary: The cache is full.
                      description: 'Cache at {{ $value | humanizePercentage }}.'
            """.write(toFile: dir.path + "/rules.yml", atomically: true, encoding: .utf8)
        try """
            global: {scrape_interval: 500ms, scrape_timeout: 400ms, evaluation_interval: 1s, external_labels: {cluster: interop}}
            storage: {path: \(dir.path)/data}
            rule_files: [rules.yml]
            alerting:
              alertmanagers:
                - static_configs: [{targets: ['127.0.0.1:\(amPort)']}]
                  timeout: 2s
              webhooks:
                - name: team-inference
                  url: http://127.0.0.1:\(direct.port)/hook
                  group_by: [alertname]
                  group_wait: 1s
                  group_interval: 2s
                  repeat_interval: 1h
            scrape_configs:
              - job_name: app
                static_configs: [{targets: ['127.0.0.1:\(target.port)']}]
            """.write(toFile: dir.path + "/scalewatch.yml", atomically: true, encoding: .utf8)
        let run = try ChildProcess(scalewatchExecutable, ["run", "--config", dir.path + "/scalewatch.yml", "--web.listen-address", "127.0.0.1:0",
                                                          "--rules.alert.resend-delay", "2s"])
        defer { Task { await run.stop() } }
        _ = try #require(await run.waitForLine(containing: "listening on"), "\(run.output)")

        func payloads(_ alertname: String, _ status: String) -> Int {
            received().filter { p in
                    (p["status"] as? String) == status && ((p["alerts"] as? [[String: Any]]) ?? []).contains {
                        ($0["labels"] as? [String: String])?["alertname"] == alertname && ($0["status"] as? String) == status
                    }
                }.count
        }

        // It fires: Alertmanager holds it with Scalewatch's labels and annotations, and the receiver hears of it.
        load.withLock { $0.queue = 25 }
        #expect(await EndToEndTests.eventually(20) {
            let alerts = try await EndToEndTests.get("http://127.0.0.1:\(amPort)/api/v2/alerts").body
            return alerts.contains(#""alertname":"QueueBacklog""#) && alerts.contains(#""cluster":"interop""#)
                && alerts.contains(#""description":"25 requests wait.""#) && alerts.contains(#""generatorURL":"http://"#)
        }, "\(run.output.suffix(5))")
        #expect(await EndToEndTests.eventually(15) { payloads("QueueBacklog", "firing") >= 1 })
        let first = received().first { ($0["status"] as? String) == "firing" }
        #expect((first?["version"] as? String) == "4" && (first?["receiver"] as? String) == "hook")
        // Alertmanager's fingerprint of the alert is the one Scalewatch's webhooks compute.
        let held = try JSONSerialization.jsonObject(with: Data(try await EndToEndTests.get("http://127.0.0.1:\(amPort)/api/v2/alerts").body.utf8)) as? [[String: Any]]
        let backlog = try #require(held?.first { ($0["labels"] as? [String: String])?["alertname"] == "QueueBacklog" })
        let labels = try #require(backlog["labels"] as? [String: String])
        #expect(backlog["fingerprint"] as? String == String(format: "%016llx", WebhookPayload.fingerprint(labels)))
        // The direct webhook got Alertmanager's payload shape from Scalewatch itself.
        #expect(await EndToEndTests.eventually(10) { directPayloads().contains { ($0["status"] as? String) == "firing" } })
        let hooked = try #require(directPayloads().first)
        #expect(hooked["version"] as? String == "4" && hooked["receiver"] as? String == "team-inference"
                && hooked["groupKey"] as? String == #"{}:{alertname="QueueBacklog"}"#, "\(hooked)")

        // Alertmanager goes away for a minute; meanwhile a second alert fires.
        #expect(await alertmanager.stop() == 0)
        load.withLock { $0.cache = 0.97 }
        try await Task.sleep(for: .seconds(60))
        #expect(payloads("CacheFull", "firing") == 0)
        let restarted = try Self.startAlertmanager(dir.path, port: amPort)
        defer { Task { await restarted.stop() } }
        #expect(await EndToEndTests.eventually(20) { try await EndToEndTests.get("http://127.0.0.1:\(amPort)/-/ready").status == 200 })
        // Scalewatch sends it again every resend delay, so it arrives once Alertmanager is back.
        #expect(await EndToEndTests.eventually(30) { payloads("CacheFull", "firing") >= 1 }, "\(run.output.suffix(8))")

        // The condition clears: the resolution reaches the receiver.
        load.withLock { $0.queue = 1 }
        #expect(await EndToEndTests.eventually(30) { payloads("QueueBacklog", "resolved") >= 1 }, "\(run.output.suffix(8))")
        #expect(await EndToEndTests.eventually(15) {
            directPayloads().contains { ($0["status"] as? String) == "resolved" && ($0["groupLabels"] as? [String: String])?["alertname"] == "QueueBacklog" }
        })
        #expect(directPayloads().filter { ($0["groupLabels"] as? [String: String])?["alertname"] == "QueueBacklog" && ($0["status"] as? String) == "firing" }.count == 1)
        // Each firing alert was delivered once: resends within the repeat interval are not re-notified.
        #expect(payloads("QueueBacklog", "firing") == 1)
        #expect(payloads("CacheFull", "firing") == 1)
        #expect(await run.stop() == 0)
        #expect(await restarted.stop() == 0)
    }
}
