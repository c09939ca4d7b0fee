import AsyncHTTPClient
import Logging
import Metrics
import NIOCore
import Scrape
import Synchronization
import TSDB

/// Sends committed samples to one `remote_write` endpoint. Samples are spread over shards by
/// series (so each series stays in order), each shard a bounded queue drained in batches of
/// `max_samples_per_send` or every `batch_send_deadline`. A failed batch is retried with
/// exponential backoff on 5xx, on transport errors and (with `retry_on_http_429`) on 429; a 4xx
/// drops it with a logged reason. What does not fit a full queue is dropped and counted.
///
/// The shard count moves between `min_shards` and `max_shards`: it doubles while the backlog
/// outgrows what the shards send and the endpoint is taking samples, and halves when the backlog
/// is gone. New shards start sending only after the old ones have drained, so a series never
/// overtakes itself.
public final class RemoteWriteQueue: Sendable {
    public let config: RemoteWriteConfig
    let externalLabels: [String: String]
    let client: HTTPClient
    /// The URL requests go to (the configured one, or one naming `tls_config.server_name`).
    let endpoint: String
    let logger: Logger
    let current: Mutex<[Shard]>
    /// Shards a reshard replaced that may still hold samples.
    let draining = Mutex<[Shard]>([])
    let reshardEvery: Duration
    let relabeled = Mutex<[SeriesRef: [Prometheus_Label]?]>([:])
    let metrics: QueueMetrics
    let counts = QueueCounts()
    let tasks = Mutex<[Task<Void, Never>]>([])
    let stopped = Atomic<Bool>(false)

    final class Shard: Sendable {
        struct Pending: Sendable {
            var labels: [Prometheus_Label]
            var t: Int64
            var v: Double
        }
        let queue = Mutex<[Pending]>([])
        /// When the oldest queued sample arrived (for the batch deadline).
        let oldest = Mutex<ContinuousClock.Instant?>(nil)
        /// Set when a reshard replaced this shard: send everything, then stop.
        let retiring = Atomic<Bool>(false)
        /// Set when the shard's sender has returned (nothing of it is in flight any more).
        let finished = Atomic<Bool>(false)
    }

    /// Opens when the shards a reshard replaced have sent everything.
    final class Gate: Sendable {
        let isOpen = Atomic<Bool>(false)

        func wait() async {
            while !isOpen.load(ordering: .acquiring) && !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(5))
            }
        }
    }

    public init(config: RemoteWriteConfig, externalLabels: [String: String], logger: Logger, reshardEvery: Duration = .seconds(10)) {
        self.reshardEvery = reshardEvery
        self.config = config
        self.externalLabels = externalLabels
        self.logger = logger
        var c = HTTPClient.Configuration(timeout: .init(connect: .seconds(10)))
        c.connectionPool.retryConnectionEstablishment = false
        // tls_config.server_name: the URL names the server name (SNI and certificate check) and
        // DNS for it is overridden to the configured host.
        let routed = Self.route(config.url, serverName: config.tls.serverName)
        if let (name, host) = routed.override { c.dnsOverride = [name: host] }
        endpoint = routed.url
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: c)
        let initial = (0..<max(1, config.queue.minShards)).map { _ in Shard() }
        current = Mutex(initial)
        metrics = QueueMetrics(remote: config.name.isEmpty ? config.url : config.name)
        metrics.shards.record(initial.count)
    }

    /// Takes a committed batch, on the committing thread: one lock for the relabeling cache and
    /// one per shard for the whole batch, relabeling each series once in its life.
    public func enqueue(_ batch: [CommittedSample]) {
        let shards = current.withLock { $0 }
        var perShard = Array(repeating: [Shard.Pending](), count: shards.count)
        relabeled.withLock { cache in
            for sample in batch {
                let ref = sample.series.ref
                let labels: [Prometheus_Label]?
                if let known = cache[ref] {
                    labels = known
                } else {
                    labels = sendLabels(for: sample.series)
                    cache[ref] = .some(labels)
                }
                guard let labels else { continue }
                perShard[Int(ref % UInt64(shards.count))].append(.init(labels: labels, t: sample.timestampMs, v: sample.value))
            }
        }
        var dropped = 0
        var accepted = 0
        for (i, items) in perShard.enumerated() where !items.isEmpty {
            let taken = shards[i].queue.withLock { q -> Int in
                let n = min(max(0, config.queue.capacity - q.count), items.count)
                q.append(contentsOf: items.prefix(n))
                return n
            }
            accepted += taken
            dropped += items.count - taken
            if taken > 0 { shards[i].oldest.withLock { if $0 == nil { $0 = .now } } }
        }
        if dropped > 0 {
            metrics.dropped.increment(by: Int64(dropped))
            counts.dropped.add(dropped, ordering: .relaxed)
        }
        if accepted > 0 {
            metrics.pending.increment(by: Double(accepted))
            counts.enqueued.add(accepted, ordering: .relaxed)
        }
    }

    /// The labels sent for a series (its own, external labels where absent, write relabeling), nil when relabeling drops it.
    func sendLabels(for series: MemSeries) -> [Prometheus_Label]? {
        var set: [String: String] = [:]
        for l in series.labels.pairs { set[l.name] = l.value }
        for (k, v) in externalLabels where set[k] == nil { set[k] = v }
        guard let out = Relabeler.process(set, config.writeRelabelConfigs), !out.isEmpty else { return nil }
        return out.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { k, v in
            var l = Prometheus_Label()
            l.name = k
            l.value = v
            return l
        }
    }

    /// Starts the shards' senders and the resharding loop.
    public func start() {
        let senders = current.withLock { $0 }.map { shard in Task { [self] in await drain(shard, after: nil) } }
        let resharding = Task { [self] in await reshardLoop() }
        tasks.withLock { $0 = senders + [resharding] }
    }

    public var shardCount: Int { current.withLock { $0.count } }

    /// Every `reshardEvery`: double the shards while the backlog grows past two batches a shard and
    /// samples are being delivered; halve them when the backlog is under a quarter batch a shard.
    func reshardLoop() async {
        var lastEnqueued = counts.enqueued.load(ordering: .relaxed)
        var lastSent = counts.sent.load(ordering: .relaxed)
        while !Task.isCancelled {
            do { try await Task.sleep(for: reshardEvery) } catch { return }
            let enqueued = counts.enqueued.load(ordering: .relaxed), sent = counts.sent.load(ordering: .relaxed)
            defer {
                lastEnqueued = enqueued
                lastSent = sent
            }
            let n = shardCount, backlog = pending, batch = config.queue.maxSamplesPerSend
            let delivering = sent > lastSent
            if backlog > 2 * n * batch && delivering && n < config.queue.maxShards {
                reshard(to: min(config.queue.maxShards, n * 2))
            } else if backlog < n * batch / 4 && n > config.queue.minShards && enqueued - lastEnqueued <= sent - lastSent {
                reshard(to: max(config.queue.minShards, n / 2))
            }
        }
    }

    /// Replaces the shards by `n` new ones; they send once the old ones have drained.
    func reshard(to n: Int) {
        guard !stopped.load(ordering: .acquiring) else { return }
        let fresh = (0..<n).map { _ in Shard() }
        let old = current.withLock { shards in
            defer { shards = fresh }
            return shards
        }
        for shard in old { shard.retiring.store(true, ordering: .releasing) }
        draining.withLock { $0 += old }
        let gate = Gate()
        let senders = fresh.map { shard in Task { [self] in await drain(shard, after: gate) } }
        let opener = Task { [self] in
            // Open once every old sender has sent its last batch and returned.
            while old.contains(where: { !$0.finished.load(ordering: .acquiring) }) && !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(5))
            }
            draining.withLock { list in list.removeAll { s in old.contains { $0 === s } } }
            gate.isOpen.store(true, ordering: .releasing)
        }
        tasks.withLock { $0 += senders + [opener] }
        metrics.shards.record(n)
        logger.info("remote write: resharding", metadata: ["url": "\(config.url)", "from": "\(old.count)", "to": "\(n)"])
    }

    /// Stops the senders after one last attempt to send what is queued (bounded by `remote_timeout`).
    public func stop() async {
        stopped.store(true, ordering: .releasing)
        let running = tasks.withLock { t in
            defer { t = [] }
            return t
        }
        for t in running { t.cancel() }
        for t in running { await t.value }
        // Older shards first, so each series still goes out in order.
        for shard in draining.withLock({ $0 }) + current.withLock({ $0 }) {
            let rest = shard.queue.withLock { q in
                defer { q = [] }
                return q
            }
            if !rest.isEmpty { _ = await send(rest, retrying: false) }
        }
        do { try await client.shutdown() } catch { logger.debug("remote write client shutdown: \(error)") }
    }

    func drain(_ shard: Shard, after gate: Gate?) async {
        defer { shard.finished.store(true, ordering: .releasing) }
        if let gate { await gate.wait() }
        let deadline = Duration.milliseconds(config.queue.batchSendDeadline.milliseconds)
        while !Task.isCancelled {
            let queued = shard.queue.withLock { $0.count }
            let retiring = shard.retiring.load(ordering: .acquiring)
            if retiring && queued == 0 { return }
            let ready = queued >= config.queue.maxSamplesPerSend || (retiring && queued > 0)
                || (shard.oldest.withLock { $0 }.map { ContinuousClock.now - $0 >= deadline } ?? false)
            guard ready else {
                do { try await Task.sleep(for: .milliseconds(10)) } catch { return }
                continue
            }
            let batch = shard.queue.withLock { q -> [Shard.Pending] in
                let n = min(q.count, config.queue.maxSamplesPerSend)
                defer { q.removeFirst(n) }
                return Array(q[0..<n])
            }
            shard.oldest.withLock { o in o = shard.queue.withLock { $0.isEmpty } ? nil : .now }
            guard !batch.isEmpty else { continue }
            _ = await send(batch, retrying: true)
        }
    }

    /// Sends one batch, retrying what Prometheus retries; true when it was delivered.
    func send(_ batch: [Shard.Pending], retrying: Bool) async -> Bool {
        let body: [UInt8]
        do { body = try Self.encode(batch) } catch {
            logger.error("remote write: cannot encode a batch: \(error)")
            return settle(batch, delivered: false)
        }
        var backoff = config.queue.minBackoff.milliseconds
        while true {
            let outcome = await post(body)
            switch outcome {
            case .delivered:
                return settle(batch, delivered: true)
            case .rejected(let reason):
                logger.warning("remote write: batch dropped by the endpoint", metadata: ["url": "\(config.url)", "reason": "\(reason)"])
                return settle(batch, delivered: false)
            case .retry(let reason):
                guard retrying, !Task.isCancelled else { return settle(batch, delivered: false) }
                metrics.retried.increment(by: Int64(batch.count))
                counts.retried.add(batch.count, ordering: .relaxed)
                logger.debug("remote write: retrying", metadata: ["reason": "\(reason)", "backoff_ms": "\(backoff)"])
                do { try await Task.sleep(for: .milliseconds(backoff)) } catch {
                    // Cancelled while backing off (shutdown): one last try without waiting.
                    if case .delivered = await post(body) { return settle(batch, delivered: true) }
                    return settle(batch, delivered: false)
                }
                backoff = min(backoff * 2, config.queue.maxBackoff.milliseconds)
            }
        }
    }

    /// Counts a batch as sent or failed; returns whether it was delivered.
    func settle(_ batch: [Shard.Pending], delivered: Bool) -> Bool {
        if delivered {
            counts.sent.add(batch.count, ordering: .relaxed)
            metrics.sent.increment(by: Int64(batch.count))
            if let newest = batch.map(\.t).max() { metrics.highestSent.record(Double(newest) / 1000) }
        } else {
            counts.failed.add(batch.count, ordering: .relaxed)
            metrics.failed.increment(by: Int64(batch.count))
        }
        metrics.pending.decrement(by: Double(batch.count))
        return delivered
    }

    enum PostOutcome { case delivered, rejected(String), retry(String) }

    func post(_ body: [UInt8]) async -> PostOutcome {
        var request = HTTPClientRequest(url: endpoint)
        request.method = .POST
        request.headers.add(name: "Content-Encoding", value: "snappy")
        request.headers.add(name: "Content-Type", value: "application/x-protobuf")
        request.headers.add(name: "X-Prometheus-Remote-Write-Version", value: "0.1.0")
        request.headers.add(name: "User-Agent", value: "Scalewatch/0.1")
        for (k, v) in config.headers { request.headers.add(name: k, value: v) }
        do {
            if let auth = try HTTPCredentials.authorizationHeader(authorization: config.authorization, basicAuth: config.basicAuth) {
                request.headers.add(name: "Authorization", value: auth)
            }
            if config.url.hasPrefix("https://") { request.tlsConfiguration = try HTTPCredentials.tlsConfiguration(config.tls) }
        } catch {
            return .retry("\(error)")
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await client.execute(request, timeout: .milliseconds(config.remoteTimeout.milliseconds))
            let text = String(buffer: try await response.body.collect(upTo: 4096))
            let code = Int(response.status.code)
            switch code {
            case 200..<300: return .delivered
            case 429: return config.queue.retryOnHTTP429 ? .retry("429 \(text)") : .rejected("429 \(text)")
            case 500...: return .retry("\(code) \(text)")
            default: return .rejected("\(code) \(text)")
            }
        } catch {
            return .retry("\(error)")
        }
    }

    /// With a server name on an https URL: the URL on that name, and the DNS override to the real host.
    static func route(_ url: String, serverName: String?) -> (url: String, override: (String, String)?) {
        guard let name = serverName, !name.isEmpty, url.hasPrefix("https://") else { return (url, nil) }
        let rest = url.dropFirst("https://".count)
        let authority = rest.prefix { $0 != "/" }
        let path = rest.dropFirst(authority.count)
        var host = Substring(authority), port = ""
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            host = authority[..<colon]
            port = String(authority[colon...])
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        return ("https://\(name)\(port)\(path)", (name, String(host)))
    }

    /// A snappy-compressed `WriteRequest`, samples grouped by series in arrival order.
    static func encode(_ batch: [Shard.Pending]) throws -> [UInt8] {
        var order: [[Prometheus_Label]] = []
        var bySeries: [[Prometheus_Label]: Int] = [:]
        var request = Prometheus_WriteRequest()
        for p in batch {
            let index: Int
            if let i = bySeries[p.labels] {
                index = i
            } else {
                index = request.timeseries.count
                bySeries[p.labels] = index
                order.append(p.labels)
                var ts = Prometheus_TimeSeries()
                ts.labels = p.labels
                request.timeseries.append(ts)
            }
            var s = Prometheus_Sample()
            s.timestamp = p.t
            s.value = p.v
            request.timeseries[index].samples.append(s)
        }
        return Snappy.compress(try request.serializedBytes() as [UInt8])
    }
}

/// Totals of one queue since it started, for tests and status lines.
final class QueueCounts: Sendable {
    let enqueued = Atomic<Int>(0)
    let sent = Atomic<Int>(0)
    let failed = Atomic<Int>(0)
    let retried = Atomic<Int>(0)
    let dropped = Atomic<Int>(0)
}

extension RemoteWriteQueue {
    /// Samples delivered, dropped by the endpoint (4xx) or on encoding, retried, and dropped for a full queue.
    public struct Totals: Sendable, Equatable {
        public var sent = 0
        public var failed = 0
        public var retried = 0
        public var dropped = 0
    }

    public var totals: Totals {
        Totals(sent: counts.sent.load(ordering: .relaxed), failed: counts.failed.load(ordering: .relaxed),
               retried: counts.retried.load(ordering: .relaxed), dropped: counts.dropped.load(ordering: .relaxed))
    }

    /// Samples waiting in the shards.
    public var pending: Int { current.withLock { $0 }.reduce(0) { n, s in n + s.queue.withLock { $0.count } } }
}

/// `scalewatch_remote_storage_*`, after Prometheus's `prometheus_remote_storage_*`.
struct QueueMetrics: Sendable {
    let sent: Counter
    let failed: Counter
    let retried: Counter
    let dropped: Counter
    let pending: Meter
    let highestSent: Metrics.Gauge
    let shards: Metrics.Gauge

    init(remote: String) {
        let d = [("remote", remote)]
        sent = Counter(label: "scalewatch_remote_storage_samples_total", dimensions: d)
        failed = Counter(label: "scalewatch_remote_storage_samples_failed_total", dimensions: d)
        retried = Counter(label: "scalewatch_remote_storage_samples_retried_total", dimensions: d)
        dropped = Counter(label: "scalewatch_remote_storage_samples_dropped_total", dimensions: d)
        pending = Meter(label: "scalewatch_remote_storage_samples_pending", dimensions: d)
        highestSent = Metrics.Gauge(label: "scalewatch_remote_storage_highest_sent_timestamp_seconds", dimensions: d)
        shards = Metrics.Gauge(label: "scalewatch_remote_storage_shards", dimensions: d)
    }
}
