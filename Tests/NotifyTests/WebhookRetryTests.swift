import Foundation
import Hummingbird
import Logging
import Notify
import Synchronization
import Testing
import TestSupport

/// A webhook that refuses a notification gets it again, after 1 s and then 2 s, the same payload
/// each time, and nothing more once it has accepted it.
@Suite struct WebhookRetryTests {
    @Test func aRefusedPostIsRetriedWithBackoffUntilAccepted() async throws {
        let arrivals = Mutex<[(at: ContinuousClock.Instant, body: String)]>([])
        let server = try await TestTargetServer.start(method: .post) { request in
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            let n = arrivals.withLock { a in
                a.append((ContinuousClock.now, body))
                return a.count
            }
            return TestTargetServer.text("", status: n <= 2 ? .internalServerError : .ok)
        }
        var config = WebhookConfig(name: "oncall", url: "http://127.0.0.1:\(server.port)/hook")
        config.groupWaitMs = 0
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let dispatcher = WebhookDispatcher(webhooks: [config], externalURL: "http://sw:9090", logger: logger,
                                           now: { Int64(Date().timeIntervalSince1970 * 1000) })
        dispatcher.receive([NotifierAlert(labels: ["alertname": "KueueStuck", "severity": "warning"], annotations: ["summary": "Stuck."],
                                          startsAtMs: 1_000, endsAtMs: Int64(Date().timeIntervalSince1970 * 1000) + 600_000,
                                          generatorURL: "http://sw:9090/graph")])
        let running = Task { await dispatcher.run() }
        let deadline = ContinuousClock.now + .seconds(15)
        while arrivals.withLock({ $0.count }) < 3 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(100)) }
        // Accepted on the third post: two seconds later nothing more has come.
        try await Task.sleep(for: .seconds(2))
        running.cancel()
        _ = await running.value
        await dispatcher.shutdown()
        await server.stop()
        let seen = arrivals.withLock { $0 }
        #expect(seen.count == 3)
        guard seen.count == 3 else { return }
        let gaps = [seen[1].at - seen[0].at, seen[2].at - seen[1].at]
        #expect(gaps[0] >= .milliseconds(950) && gaps[0] < .milliseconds(1_900), "\(gaps)")
        #expect(gaps[1] >= .milliseconds(1_950) && gaps[1] < .milliseconds(3_500), "\(gaps)")
        #expect(seen[1].body == seen[0].body && seen[2].body == seen[0].body && seen[0].body.contains(#""alertname":"KueueStuck""#))
    }
}
