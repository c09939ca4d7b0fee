import Foundation
@testable import Remote
import SwiftProtobuf
import Testing
import TestSupport
import TSDB

@Suite struct RemoteReadWriteTests {
    static func label(_ name: String, _ value: String) -> Prometheus_Label {
        var l = Prometheus_Label()
        l.name = name
        l.value = value
        return l
    }

    static func series(_ labels: [(String, String)], _ samples: [(Int64, Double)]) -> Prometheus_TimeSeries {
        var ts = Prometheus_TimeSeries()
        ts.labels = labels.map { label($0.0, $0.1) }
        ts.samples = samples.map { t, v in
            var s = Prometheus_Sample()
            s.timestamp = t
            s.value = v
            return s
        }
        return ts
    }

    static func writeBody(_ series: [Prometheus_TimeSeries]) throws -> [UInt8] {
        var request = Prometheus_WriteRequest()
        request.timeseries = series
        return Snappy.compress(try request.serializedBytes() as [UInt8])
    }

    @Test func writeAppendsAndRefusesWhatPrometheusRefuses() throws {
        let storage = try Storage(options: StorageOptions())
        let outcome = try RemoteWriteReceiver.handle(body: try Self.writeBody([
            Self.series([("__name__", "vllm:num_requests_running"), ("model_name", "llama")], [(1000, 4), (2000, 5)]),
            Self.series([("__name__", "up"), ("job", "vllm")], [(1000, 1)]),
        ]), limit: 1 << 20, into: storage)
        #expect(outcome == RemoteWriteReceiver.Outcome(series: 2, samples: 3))
        let stored = try #require(storage.querier().select([.equal("model_name", "llama")], minTime: 0, maxTime: 5000).first)
        #expect(stored.samples().map(\.v) == [4, 5])

        let refusals: [([Prometheus_TimeSeries], String)] = [
            ([Self.series([("job", "x"), ("__name__", "m")], [(1, 1)])], "labels not sorted by name"),
            ([Self.series([("__name__", "m"), ("a", "1"), ("a", "2")], [(1, 1)])], "duplicate label name \"a\""),
            ([Self.series([("", "x"), ("__name__", "m")], [(1, 1)])], "empty label name"),
            ([Self.series([("job", "x")], [(1, 1)])], "no __name__ label"),
            // The whole request is refused when one sample is out of order; nothing of it is kept.
            ([Self.series([("__name__", "fresh")], [(5000, 1)]), Self.series([("__name__", "up"), ("job", "vllm")], [(500, 1)])], "out of order sample"),
        ]
        for (series, message) in refusals {
            #expect(throws: RemoteWriteReceiver.Refusal.self) { try RemoteWriteReceiver.handle(body: try Self.writeBody(series), limit: 1 << 20, into: storage) }
            let body = try Self.writeBody(series)
            do throws(RemoteWriteReceiver.Refusal) {
                _ = try RemoteWriteReceiver.handle(body: body, limit: 1 << 20, into: storage)
            } catch {
                #expect(error.status == 400)
                #expect(error.message.contains(message), "\(error.message)")
            }
        }
        #expect(storage.querier().select([.equal("__name__", "fresh")], minTime: 0, maxTime: .max).allSatisfy { $0.samples().isEmpty })
        #expect(throws: RemoteWriteReceiver.Refusal(status: 400, message: "snappy: corrupt input: truncated at byte 1")) {
            try RemoteWriteReceiver.handle(body: [0x03, 0xf0], limit: 1 << 20, into: storage)
        }
    }

    static func store() throws -> Storage {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for i in 0..<300 {
            try app.append(Labels(["__name__": "kueue_pending_workloads", "cluster_queue": "team-a-cq"]), Int64(i) * 15_000, Double(i % 7))
            try app.append(Labels(["__name__": "kueue_pending_workloads", "cluster_queue": "team-b-cq"]), Int64(i) * 15_000, Double(i % 3))
        }
        app.commit()
        return storage
    }

    static func readBody(_ queries: [(Int64, Int64, [Prometheus_LabelMatcher])], accepted: [Prometheus_ReadRequest.ResponseType]) throws -> [UInt8] {
        var request = Prometheus_ReadRequest()
        request.acceptedResponseTypes = accepted
        request.queries = queries.map { start, end, matchers in
            var q = Prometheus_Query()
            q.startTimestampMs = start
            q.endTimestampMs = end
            q.matchers = matchers
            return q
        }
        return Snappy.compress(try request.serializedBytes() as [UInt8])
    }

    static func matcher(_ type: Prometheus_LabelMatcher.TypeEnum, _ name: String, _ value: String) -> Prometheus_LabelMatcher {
        var m = Prometheus_LabelMatcher()
        m.type = type
        m.name = name
        m.value = value
        return m
    }

    @Test func samplesAnswerEveryQueryWithExternalLabels() throws {
        let storage = try Self.store()
        let handler = RemoteReadHandler(querier: storage.querier(), externalLabels: ["cluster": "east"])
        let body = try Self.readBody([
            (30_000, 60_000, [Self.matcher(.eq, "__name__", "kueue_pending_workloads"), Self.matcher(.re, "cluster_queue", "team-a.*")]),
            (0, 15_000, [Self.matcher(.neq, "cluster_queue", "team-a-cq"), Self.matcher(.nre, "__name__", "up|x")]),
        ], accepted: [])
        guard case .samples(let compressed) = try handler.handle(body: body) else {
            Issue.record("an empty accepted list means SAMPLES")
            return
        }
        let response = try Prometheus_ReadResponse(serializedBytes: try Snappy.decompress(compressed))
        #expect(response.results.count == 2)
        let a = try #require(response.results[0].timeseries.first)
        #expect(a.labels.map { "\($0.name)=\($0.value)" } == ["__name__=kueue_pending_workloads", "cluster=east", "cluster_queue=team-a-cq"])
        #expect(a.samples.map(\.timestamp) == [30_000, 45_000, 60_000])
        #expect(a.samples.map(\.value) == [2, 3, 4])
        #expect(response.results[1].timeseries.map { $0.labels.first { $0.name == "cluster_queue" }?.value } == ["team-b-cq"])
    }

    @Test func streamedFramesCarryTheStoredChunksAsTheyAre() throws {
        let storage = try Self.store()
        var handler = RemoteReadHandler(querier: storage.querier(), externalLabels: [:])
        handler.limits.maxFrameBytes = 400
        let body = try Self.readBody([(0, .max, [Self.matcher(.re, "cluster_queue", ".+")])], accepted: [.streamedXorChunks, .samples])
        guard case .streamed(let stream) = try handler.handle(body: body) else {
            Issue.record("STREAMED_XOR_CHUNKS was asked first")
            return
        }
        var frames: [Prometheus_ChunkedReadResponse] = []
        var i = 0
        while i < stream.count {
            var length = 0, shift = 0
            while true {
                let b = stream[i]
                i += 1
                length |= Int(b & 0x7f) << shift
                if b < 0x80 { break }
                shift += 7
            }
            let crc = stream[i..<(i + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let message = Array(stream[(i + 4)..<(i + 4 + length)])
            #expect(crc == CRC32C.checksum(message))
            frames.append(try Prometheus_ChunkedReadResponse(serializedBytes: message))
            i += 4 + length
        }
        #expect(frames.allSatisfy { $0.chunkedSeries.count == 1 && $0.queryIndex == 0 })
        #expect(frames.count > 2, "a 400-byte frame limit splits each series")
        let stored = storage.querier().select([try LabelMatcher(.regexMatch, "cluster_queue", ".+")], minTime: 0, maxTime: .max)
        for series in stored {
            let sent = frames.flatMap(\.chunkedSeries).filter { s in s.labels.contains { $0.value == series.labels["cluster_queue"] } }.flatMap(\.chunks)
            #expect(sent.map { [UInt8]($0.data) } == series.chunks.map(\.bytes))
            #expect(sent.allSatisfy { $0.type == .xor })
        }
    }

    @Test func unsupportedResponseTypesOnlyAreA400() throws {
        let storage = try Self.store()
        let handler = RemoteReadHandler(querier: storage.querier(), externalLabels: [:])
        let body = try Self.readBody([(0, 1, [Self.matcher(.eq, "__name__", "x")])], accepted: [.UNRECOGNIZED(7)])
        #expect(throws: RemoteWriteReceiver.Refusal.self) { try handler.handle(body: body) }
    }
}

/// Hostile request bodies: random bytes, random protobuf inside valid snappy, every truncation.
@Suite struct RemoteDecoderTests {
    static func refusal(_ body: [UInt8], _ storage: Storage) -> (write: RemoteWriteReceiver.Refusal?, read: RemoteWriteReceiver.Refusal?) {
        var write: RemoteWriteReceiver.Refusal? = nil
        var read: RemoteWriteReceiver.Refusal? = nil
        do throws(RemoteWriteReceiver.Refusal) { _ = try RemoteWriteReceiver.handle(body: body, limit: 1 << 20, into: storage) } catch { write = error }
        do throws(RemoteWriteReceiver.Refusal) { _ = try RemoteReadHandler(querier: storage.querier(), externalLabels: [:]).handle(body: body) } catch { read = error }
        return (write, read)
    }

    @Test func randomBodiesAreRefusedNeverCrash() throws {
        let storage = try Storage(options: StorageOptions())
        var rng = SplitMix64(seed: 17)
        var refused = 0
        for round in 0..<2000 {
            let n = Int(rng.next() % 200)
            let raw = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            // Half go in as they are (bad snappy), half as valid snappy around random bytes (bad protobuf).
            let body = round % 2 == 0 ? raw : Snappy.compress(raw)
            let (write, read) = Self.refusal(body, storage)
            for r in [write, read].compactMap({ $0 }) {
                #expect(r.status == 400, "\(r)")
                refused += 1
            }
        }
        #expect(refused > 2000)
    }

    @Test func everyTruncationOfAValidWriteIsRefusedAndStoresNothing() throws {
        let storage = try Storage(options: StorageOptions())
        let body = try RemoteReadWriteTests.writeBody([
            RemoteReadWriteTests.series([("__name__", "m"), ("job", "a")], (0..<50).map { (Int64($0) * 1000, Double($0)) }),
        ])
        for cut in 0..<body.count {
            #expect(throws: RemoteWriteReceiver.Refusal.self, "cut \(cut)") {
                try RemoteWriteReceiver.handle(body: Array(body[0..<cut]), limit: 1 << 20, into: storage)
            }
        }
        #expect(storage.querier().select([.equal("__name__", "m")], minTime: .min, maxTime: .max).allSatisfy { $0.samples().isEmpty })
        #expect(try RemoteWriteReceiver.handle(body: body, limit: 1 << 20, into: storage).samples == 50)
    }
}
