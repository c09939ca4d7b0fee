import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import NIOSSL
import PromQL
import Synchronization

/// An alert as it is posted to Alertmanager's `POST /api/v2/alerts`.
public struct NotifierAlert: Sendable, Equatable {
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAtMs: Int64
    public var endsAtMs: Int64
    public var generatorURL: String

    public init(labels: [String: String], annotations: [String: String], startsAtMs: Int64, endsAtMs: Int64, generatorURL: String) {
        self.labels = labels
        self.annotations = annotations
        self.startsAtMs = startsAtMs
        self.endsAtMs = endsAtMs
        self.generatorURL = generatorURL
    }
}

/// Sends alerts to every configured Alertmanager, as Prometheus's notifier does: external labels
/// added where missing, alert relabeling, a bounded queue that drops the oldest when full,
/// batches of at most 64 posted to all Alertmanagers at once. A batch no Alertmanager took is
/// dropped and counted; the rules send firing alerts again every resend delay, so nothing is lost
/// for longer than an outage.
public final class Notifier: Sendable {
    public struct Options: Sendable {
        public var capacity = 10_000
        public var maxBatch = 64
        public var externalLabels: [String: String] = [:]
        /// `alert_relabel_configs`: the labels after relabeling, or nil to drop the alert.
        public var relabel: @Sendable ([String: String]) -> [String: String]? = { $0 }
        public init() {}
    }

    struct Target: Sendable {
        let url: String
        let config: AlertmanagerConfig
        let client: HTTPClient
    }

    private let options: Options
    private let targets: [Target]
    private let logger: Logger
    private let queue = Mutex<[NotifierAlert]>([])
    private let wake: AsyncStream<Void>.Continuation
    private let wakes: AsyncStream<Void>
    private let dropped = Counter(label: "scalewatch_notifications_dropped_total")
    private let queueLength = Gauge(label: "scalewatch_notifications_queue_length")

    public init(alertmanagers: [AlertmanagerConfig], options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
        var targets: [Target] = []
        for am in alertmanagers {
            var configuration = HTTPClient.Configuration(timeout: .init(connect: .milliseconds(am.timeoutMs), read: .milliseconds(am.timeoutMs)))
            if am.scheme == "https" {
                var tls = TLSConfiguration.makeClientConfiguration()
                if let ca = am.caFile, let certificates = try? NIOSSLCertificate.fromPEMFile(ca) { tls.trustRoots = .certificates(certificates) }
                if am.insecureSkipVerify { tls.certificateVerification = .none }
                configuration.tlsConfiguration = tls
            }
            let client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
            targets += am.urls.map { Target(url: $0, config: am, client: client) }
        }
        self.targets = targets
        (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        Gauge(label: "scalewatch_notifications_queue_capacity").record(options.capacity)
    }

    /// The Alertmanager URLs alerts go to.
    public var urls: [String] { targets.map(\.url) }

    /// Alerts as they leave: external labels added where missing, then relabeled (dropped ones gone).
    public static func prepare(_ alerts: [NotifierAlert], _ options: Options) -> [NotifierAlert] {
        var prepared: [NotifierAlert] = []
        for var a in alerts {
            for (k, v) in options.externalLabels where a.labels[k] == nil { a.labels[k] = v }
            guard let labels = options.relabel(a.labels), !labels.isEmpty else { continue }
            a.labels = labels
            prepared.append(a)
        }
        return prepared
    }

    /// Queues alerts (prepared as `prepare` does); the oldest are dropped beyond capacity.
    public func send(_ alerts: [NotifierAlert]) {
        let prepared = Self.prepare(alerts, options)
        guard !prepared.isEmpty, !targets.isEmpty else { return }
        let overflow = queue.withLock { q -> Int in
            q.append(contentsOf: prepared)
            let over = max(0, q.count - options.capacity)
            if over > 0 { q.removeFirst(over) }
            queueLength.record(q.count)
            return over
        }
        if overflow > 0 {
            dropped.increment(by: overflow)
            logger.warning("alert queue full, dropped oldest alerts", metadata: ["count": "\(overflow)"])
        }
        wake.yield()
    }

    /// Sends queued alerts until cancelled.
    public func run() async {
        for await _ in wakes {
            while true {
                let batch = queue.withLock { q -> [NotifierAlert] in
                    let b = Array(q.prefix(options.maxBatch))
                    q.removeFirst(b.count)
                    queueLength.record(q.count)
                    return b
                }
                if batch.isEmpty { break }
                await sendToAll(batch)
            }
        }
    }

    /// Ends `run` once the queue is sent.
    public func finish() { wake.finish() }

    private let isShutDown = Atomic<Bool>(false)

    /// A notifier dropped without `shutdown()` hands its clients to a task that closes them.
    deinit {
        guard !isShutDown.load(ordering: .relaxed) else { return }
        var seen = Set<ObjectIdentifier>()
        let clients = targets.map(\.client).filter { seen.insert(ObjectIdentifier($0)).inserted }
        Task.detached { for c in clients { try? await c.shutdown() } }
    }

    /// Closes the HTTP clients (after `run` has returned).
    public func shutdown() async {
        isShutDown.store(true, ordering: .relaxed)
        var seen = Set<ObjectIdentifier>()
        for t in targets where seen.insert(ObjectIdentifier(t.client)).inserted { try? await t.client.shutdown() }
    }

    /// Posts one batch to every Alertmanager at once; counts the batch as dropped when none took it.
    func sendToAll(_ batch: [NotifierAlert]) async {
        let body = Self.json(batch)
        let delivered = await withTaskGroup(of: Bool.self) { group in
            for target in targets { group.addTask { await self.post(body, count: batch.count, to: target) } }
            var any = false
            for await ok in group { any = any || ok }
            return any
        }
        if !delivered { dropped.increment(by: batch.count) }
    }

    private func post(_ body: [UInt8], count: Int, to target: Target) async -> Bool {
        var request = HTTPClientRequest(url: target.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Scalewatch")
        if let (user, password) = target.config.basicAuth {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        } else if let token = target.config.bearerToken {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let dims = [("alertmanager", target.url)]
        do {
            let response = try await target.client.execute(request, timeout: .milliseconds(target.config.timeoutMs))
            _ = try await response.body.collect(upTo: 1 << 20)
            guard (200..<300).contains(Int(response.status.code)) else {
                Counter(label: "scalewatch_notifications_errors_total", dimensions: dims).increment(by: count)
                logger.warning("Alertmanager refused alerts", metadata: ["url": "\(target.url)", "status": "\(response.status.code)"])
                return false
            }
            Counter(label: "scalewatch_notifications_sent_total", dimensions: dims).increment(by: count)
            return true
        } catch {
            Counter(label: "scalewatch_notifications_errors_total", dimensions: dims).increment(by: count)
            logger.warning("sending alerts failed", metadata: ["url": "\(target.url)", "error": "\(error)"])
            return false
        }
    }

    /// Alertmanager v2's `postableAlerts` JSON.
    static func json(_ alerts: [NotifierAlert]) -> [UInt8] {
        let str = WebhookPayload.string, map = WebhookPayload.map
        let items = alerts.map { a -> String in
            var fields = [#""labels":\#(map(a.labels))"#, #""annotations":\#(map(a.annotations))"#]
            if a.startsAtMs != 0 { fields.append(#""startsAt":\#(str(RFC3339.format(ms: a.startsAtMs)))"#) }
            if a.endsAtMs != 0 { fields.append(#""endsAt":\#(str(RFC3339.format(ms: a.endsAtMs)))"#) }
            fields.append(#""generatorURL":\#(str(a.generatorURL))"#)
            return "{" + fields.joined(separator: ",") + "}"
        }
        return Array(("[" + items.joined(separator: ",") + "]").utf8)
    }
}
