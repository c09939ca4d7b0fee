import Foundation
import Logging
import NIOSSL
import Notify
import Synchronization
import Testing
import TestSupport

/// An Alertmanager behind TLS with a private CA: trusted through `tls_config.ca_file`, and
/// refused (counted as an error, nothing delivered) without it.
@Suite struct NotifierTLSTests {
    @Test func httpsAlertmanagerWithAPrivateCA() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        try TestCertificates.make(in: dir.path)
        let tls = try TestCertificates.serverTLS(in: dir.path)
        let received = Mutex<[String]>([])
        let server = try await TestTargetServer.start(tls: tls, method: .post) { request in
            received.withLock { $0.append(request.headers[.authorization] ?? "") }
            return TestTargetServer.text("")
        }
        defer { Task { await server.stop() } }
        let alert = NotifierAlert(labels: ["alertname": "A"], annotations: [:], startsAtMs: 1, endsAtMs: 2, generatorURL: "g")

        func send(ca: String?) async {
            var am = AlertmanagerConfig(targets: ["127.0.0.1:\(server.port)"], scheme: "https")
            am.caFile = ca
            am.bearerToken = "t0ken"
            am.timeoutMs = 3_000
            let notifier = Notifier(alertmanagers: [am], options: Notifier.Options(), logger: Logger(label: "test"))
            let loop = Task { await notifier.run() }
            notifier.send([alert])
            notifier.finish()
            await loop.value
            await notifier.shutdown()
        }
        await send(ca: nil)
        #expect(received.withLock { $0 }.isEmpty)
        await send(ca: dir.path + "/ca.crt")
        #expect(received.withLock { $0 } == ["Bearer t0ken"])
    }
}
