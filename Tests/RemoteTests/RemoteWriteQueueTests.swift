import ConfigSupport
import Foundation
import Hummingbird
import Logging
@testable import Remote
import Scrape
import SwiftProtobuf
import Synchronization
import Testing
import TestSupport
import TSDB

/// The remote-write sender against a real loopback endpoint that answers as told.
@Suite struct RemoteWriteQueueTests {
    /// An endpoint answering `statuses` in turn (the last one repeats), keeping what it received.
    final class Log: Sendable {
        let received = Mutex<[Prometheus_WriteRequest]>([])
        let requests = Mutex<Int>(0)
        let inFlight = Mutex<Int>(0)
        let maxInFlight = Mutex<Int>(0)
    }

    final class Endpoint: Sendable {
        let server: TestTargetServer
        let log = Log()
        var requestCount: Int { log.requests.withLock { $0 } }
        /// The most requests the endpoint ever had at once: more than one means several shards sent.
        var maxShardsSeen: Int { log.maxInFlight.withLock { $0 } }
        var requests: [Prometheus_WriteRequest] { log.received.withLock { $0 } }

        init(_ statuses: [HTTPResponse.Status], delay: Duration = .zero) async throws {
            let log = self.log
            server = try await TestTargetServer.start(method: .post) { request in
                let inFlight = log.inFlight.withLock { n -> Int in
                    n += 1
                    return n
                }
                log.maxInFlight.withLock { $0 = max($0, inFlight) }
                defer { log.inFlight.withLock { $0 -= 1 } }
                if delay > .zero { try await Task.sleep(for: delay) }
                var request = request
                let body = try await request.collectBody(upTo: 1 << 24)
                let n = log.requests.withLock { n -> Int in
                    n += 1
                    return n
                }
                let status = statuses[min(n - 1, statuses.count - 1)]
                if status == .noContent {
                    let decoded = try Prometheus_WriteRequest(serializedBytes: try Snappy.decompress(Array(body.readableBytesView)))
                    log.received.withLock { $0.append(decoded) }
                }
                return Response(status: status)
            }
        }

        var url: String { "http://127.0.0.1:\(server.port)/api/v1/write" }
        var samples: [String] {
            requests.flatMap(\.timeseries).flatMap { ts in
                ts.samples.map { "\(ts.labels.first { $0.name == "i" }?.value ?? "?")@\($0.timestamp)" }
            }
        }
    }

    static func config(_ url: String, _ tweak: (inout RemoteWriteConfig) -> Void = { _ in }) -> RemoteWriteConfig {
        var c = RemoteWriteConfig(url: url)
        c.queue.batchSendDeadline = ConfigDuration(milliseconds: 50)
        c.queue.minBackoff = ConfigDuration(milliseconds: 20)
        c.queue.maxBackoff = ConfigDuration(milliseconds: 100)
        tweak(&c)
        return c
    }

    static func batch(_ storage: Storage, series: Int, samples: Int, from t0: Int64 = 1000) -> [CommittedSample] {
        let app = storage.appender()
        let all = (0..<series).map { app.series(for: Labels(["__name__": "m", "i": String($0)])) }
        return (0..<samples).flatMap { k in all.map { CommittedSample(series: $0, timestampMs: t0 + Int64(k) * 1000, value: Double(k)) } }
    }

    static func waitFor(_ seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return condition()
    }

    @Test func serverErrorsAreRetriedAndEverySeriesStaysInOrder() async throws {
        let endpoint = try await Endpoint([.internalServerError, .serviceUnavailable, .noContent])
        let storage = try Storage(options: StorageOptions())
        let queue = RemoteWriteQueue(config: Self.config(endpoint.url) { $0.queue.minShards = 3 }, externalLabels: [:], logger: Logger(label: "test"))
        queue.start()
        queue.enqueue(Self.batch(storage, series: 4, samples: 25))
        #expect(await Self.waitFor { queue.totals.sent == 100 }, "\(queue.totals)")
        #expect(queue.totals.retried > 0)
        #expect(queue.totals.failed == 0)
        for i in 0..<4 {
            let times = endpoint.samples.filter { $0.hasPrefix("\(i)@") }.map { Int($0.split(separator: "@")[1])! }
            #expect(times == times.sorted() && times.count == 25, "series \(i): \(times)")
        }
        await queue.stop()
        await endpoint.server.stop()
    }

    @Test func aSlowEndpointGetsMoreShardsAndOrderHolds() async throws {
        let endpoint = try await Endpoint([.noContent], delay: .milliseconds(60))
        let storage = try Storage(options: StorageOptions())
        let queue = RemoteWriteQueue(config: Self.config(endpoint.url) {
            $0.queue.maxShards = 8
            $0.queue.maxSamplesPerSend = 20
            $0.queue.capacity = 100_000
        }, externalLabels: [:], logger: Logger(label: "test"), reshardEvery: .milliseconds(200))
        queue.start()
        // Samples keep arriving, one per series every 30 ms, faster than one shard can send them.
        let all = Self.batch(storage, series: 40, samples: 60)
        var grew = false
        for round in 0..<60 {
            queue.enqueue(Array(all[(round * 40)..<((round + 1) * 40)]))
            grew = grew || queue.shardCount > 1
            try await Task.sleep(for: .milliseconds(30))
        }
        #expect(await Self.waitFor(20) { queue.totals.sent == 2400 }, "\(queue.totals), shards \(queue.shardCount)")
        #expect(grew, "the queue never resharded")
        #expect(endpoint.maxShardsSeen > 1, "never more than one request at a time")
        for i in 0..<40 {
            let times = endpoint.samples.filter { $0.hasPrefix("\(i)@") }.map { Int($0.split(separator: "@")[1])! }
            #expect(times == times.sorted() && times.count == 60, "series \(i)")
        }
        await queue.stop()
        await endpoint.server.stop()
    }

    @Test func clientErrorsDropTheBatchWithoutRetrying() async throws {
        let endpoint = try await Endpoint([.badRequest])
        let storage = try Storage(options: StorageOptions())
        let queue = RemoteWriteQueue(config: Self.config(endpoint.url), externalLabels: [:], logger: Logger(label: "test"))
        queue.start()
        queue.enqueue(Self.batch(storage, series: 2, samples: 5))
        #expect(await Self.waitFor { queue.totals.failed == 10 })
        try await Task.sleep(for: .milliseconds(300))
        #expect(endpoint.requestCount == 1)
        #expect(queue.totals.retried == 0)
        await queue.stop()
        await endpoint.server.stop()
    }

    @Test func tooManyRequestsIsRetriedOnlyWhenConfigured() async throws {
        for retry in [false, true] {
            let endpoint = try await Endpoint([.tooManyRequests, .noContent])
            let storage = try Storage(options: StorageOptions())
            let queue = RemoteWriteQueue(config: Self.config(endpoint.url) { $0.queue.retryOnHTTP429 = retry }, externalLabels: [:], logger: Logger(label: "test"))
            queue.start()
            queue.enqueue(Self.batch(storage, series: 1, samples: 3))
            #expect(await Self.waitFor { queue.totals.sent + queue.totals.failed == 3 })
            #expect(queue.totals.sent == (retry ? 3 : 0), "retry_on_http_429: \(retry)")
            await queue.stop()
            await endpoint.server.stop()
        }
    }

    @Test func aFullQueueDropsAndCountsWhatDoesNotFit() async throws {
        let storage = try Storage(options: StorageOptions())
        // Nothing listens on port 1: every send fails and is retried, so the queue fills.
        let queue = RemoteWriteQueue(config: Self.config("http://127.0.0.1:1/api/v1/write") {
            $0.queue.capacity = 50
            $0.queue.maxSamplesPerSend = 10
        }, externalLabels: [:], logger: Logger(label: "test"))
        queue.enqueue(Self.batch(storage, series: 1, samples: 80))
        #expect(queue.totals.dropped == 30)
        #expect(queue.pending == 50)
        await queue.stop()
    }

    @Test func writeRelabelingAndExternalLabelsShapeWhatIsSent() async throws {
        let endpoint = try await Endpoint([.noContent])
        let storage = try Storage(options: StorageOptions())
        let doc = ConfigDocument(file: "rw.yml", text: "- {source_labels: [i], regex: '0', action: drop}\n")
        let relabel = (doc.rootNode.list ?? []).compactMap(RelabelConfig.init(reading:))
        let queue = RemoteWriteQueue(config: Self.config(endpoint.url) { $0.writeRelabelConfigs = relabel },
                                     externalLabels: ["cluster": "east"], logger: Logger(label: "test"))
        queue.start()
        queue.enqueue(Self.batch(storage, series: 2, samples: 2))
        #expect(await Self.waitFor { queue.totals.sent == 2 })
        let labels = endpoint.requests.flatMap(\.timeseries).map { $0.labels.map { "\($0.name)=\($0.value)" } }
        #expect(labels.allSatisfy { $0 == ["__name__=m", "cluster=east", "i=1"] }, "\(labels)")
        await queue.stop()
        await endpoint.server.stop()
    }
}
