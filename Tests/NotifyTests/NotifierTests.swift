import Foundation
import Hummingbird
import Logging
import Notify
import Synchronization
import Testing
import TestSupport

/// The notifier posts batches of at most 64 to every Alertmanager, with external labels added
/// where missing and alert relabeling applied.
@Suite struct NotifierTests {
    @Test func batchesExternalLabelsAndRelabelingReachEveryAlertmanager() async throws {
        let bodies = Mutex<[(port: Int, body: Data)]>([])
        func server() async throws -> TestTargetServer {
            let holder = Mutex<Int>(0)
            let s = try await TestTargetServer.start(method: .post) { request in
                var request = request
                let body = try await request.collectBody(upTo: 1 << 22)
                let port = holder.withLock { $0 }
                bodies.withLock { $0.append((port, Data(buffer: body))) }
                return TestTargetServer.text("", status: .ok)
            }
            holder.withLock { $0 = s.port }
            return s
        }
        let a = try await server(), b = try await server()
        defer { Task { await a.stop(); await b.stop() } }
        var options = Notifier.Options()
        options.externalLabels = ["cluster": "gpu-east", "severity": "none"]
        options.relabel = { $0["team"] == "drop-me" ? nil : $0 }
        let notifier = Notifier(alertmanagers: [AlertmanagerConfig(targets: ["127.0.0.1:\(a.port)", "127.0.0.1:\(b.port)"])],
                                options: options, logger: Logger(label: "test"))
        let loop = Task { await notifier.run() }
        var alerts = (0..<150).map { i in
            NotifierAlert(labels: ["alertname": "A\(i)", "severity": "warning"], annotations: [:], startsAtMs: 1_000, endsAtMs: 2_000, generatorURL: "g")
        }
        alerts.append(NotifierAlert(labels: ["alertname": "Dropped", "team": "drop-me"], annotations: [:], startsAtMs: 1, endsAtMs: 2, generatorURL: "g"))
        notifier.send(alerts)
        let deadline = Date().addingTimeInterval(10)
        while bodies.withLock({ $0.count }) < 6 && Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        notifier.finish()
        await loop.value
        await notifier.shutdown()

        let posts = bodies.withLock { $0 }
        #expect(posts.count == 6)
        for port in [a.port, b.port] {
            let batches = posts.filter { $0.port == port }.compactMap { try? JSONSerialization.jsonObject(with: $0.body) as? [[String: Any]] }
            #expect(batches.map(\.count).sorted() == [22, 64, 64])
            let labels = batches.flatMap { $0 }.compactMap { $0["labels"] as? [String: String] }
            #expect(labels.count == 150 && labels.allSatisfy { $0["cluster"] == "gpu-east" && $0["severity"] == "warning" })
            #expect(!labels.contains { $0["alertname"] == "Dropped" })
            let first = try #require(batches.first?.first)
            #expect(first["startsAt"] as? String == "1970-01-01T00:00:01Z" && first["endsAt"] as? String == "1970-01-01T00:00:02Z")
        }
    }
}
