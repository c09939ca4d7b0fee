import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import Synchronization

/// Drives the webhooks' groups by the clock and posts their payloads, retrying a failed post
/// with backoff (1 s doubling to 1 min) until it is delivered or a newer payload of the same
/// group replaces it.
public final class WebhookDispatcher: Sendable {
    private let groups: Mutex<[WebhookGroups]>
    private let externalURL: String
    private let logger: Logger
    private let client: HTTPClient
    private let now: @Sendable () -> Int64
    private let inFlight = Mutex<[String: Task<Void, Never>]>([:])

    public init(webhooks: [WebhookConfig], externalURL: String, logger: Logger, now: @escaping @Sendable () -> Int64) {
        groups = Mutex(webhooks.map(WebhookGroups.init(config:)))
        self.externalURL = externalURL
        self.logger = logger
        self.now = now
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup)
    }

    public func receive(_ alerts: [NotifierAlert]) {
        let t = now()
        groups.withLock { for i in $0.indices { $0[i].receive(alerts, now: t) } }
    }

    /// Checks the groups twice a second until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(500)) } catch { break }
            let t = now()
            let due = groups.withLock { g in g.indices.flatMap { i in g[i].due(now: t, externalURL: externalURL).map { (g[i].config, $0) } } }
            for (config, payload) in due { deliver(payload, to: config) }
        }
        for task in inFlight.withLock({ $0.values }) { task.cancel() }
    }

    private let isShutDown = Atomic<Bool>(false)

    public func shutdown() async {
        isShutDown.store(true, ordering: .relaxed)
        try? await client.shutdown()
    }

    /// A dispatcher dropped without `shutdown()` hands its client to a task that closes it.
    deinit {
        guard !isShutDown.load(ordering: .relaxed) else { return }
        let client = self.client
        Task.detached { try? await client.shutdown() }
    }

    private func deliver(_ payload: WebhookPayload, to config: WebhookConfig) {
        let key = config.url + "\u{1}" + payload.groupKey
        let body = Array(payload.json.utf8)
        let task = Task { [self] in
            var backoff: Int64 = 1_000
            while !Task.isCancelled {
                if await post(body, count: payload.alerts.count, to: config) { return }
                do { try await Task.sleep(for: .milliseconds(backoff)) } catch { return }
                backoff = min(backoff * 2, 60_000)
            }
        }
        // A newer payload of the group supersedes one still being retried.
        inFlight.withLock { $0.updateValue(task, forKey: key)?.cancel() }
    }

    private func post(_ body: [UInt8], count: Int, to config: WebhookConfig) async -> Bool {
        var request = HTTPClientRequest(url: config.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "Scalewatch")
        if let (user, password) = config.basicAuth {
            request.headers.add(name: "Authorization", value: "Basic " + Data("\(user):\(password)".utf8).base64EncodedString())
        } else if let token = config.bearerToken {
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let dims = [("alertmanager", config.url)]
        do {
            let response = try await client.execute(request, timeout: .milliseconds(config.timeoutMs))
            _ = try await response.body.collect(upTo: 1 << 20)
            if (200..<300).contains(Int(response.status.code)) {
                Counter(label: "scalewatch_notifications_sent_total", dimensions: dims).increment(by: count)
                return true
            }
            logger.warning("webhook refused the notification", metadata: ["url": "\(config.url)", "status": "\(response.status.code)"])
        } catch {
            logger.warning("webhook post failed", metadata: ["url": "\(config.url)", "error": "\(error)"])
        }
        Counter(label: "scalewatch_notifications_errors_total", dimensions: dims).increment(by: count)
        return false
    }
}
