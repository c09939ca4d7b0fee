import Testing
import TestSupport
@testable import TSDB

@Suite struct RetentionTests {
    @Test func retentionByTimeDropsOldChunksAndEmptySeries() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 3_600_000))
        let app = storage.appender()
        let old = Labels(["__name__": "old"])
        let live = Labels(["__name__": "live"])
        for i in 0..<240 { try app.append(old, Int64(i) * 15_000, 1) }
        for i in 0..<600 { try app.append(live, Int64(i) * 15_000, Double(i)) }
        app.commit()
        let now: Int64 = 600 * 15_000
        let result = storage.applyRetention(now: now)
        #expect(result.seriesRemoved == 1)
        #expect(storage.querier().select([.equal("__name__", "old")], minTime: .min, maxTime: .max).isEmpty)
        #expect(storage.querier().labelValues("__name__", []) == ["live"])
        let kept = storage.querier().select([.equal("__name__", "live")], minTime: .min, maxTime: .max)[0]
        // Whole chunks go: everything after now - 1h is still there, nothing older than a chunk before it.
        let oldest = try #require(kept.samples().first?.t)
        #expect(oldest <= now - 3_600_000)
        #expect(oldest > now - 3_600_000 - 120 * 15_000)
        #expect(kept.samples().last?.t == Int64(599 * 15_000))
    }

    @Test func labelStringsOfRemovedSeriesLeaveTheInterner() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 60_000))
        let app = storage.appender()
        let run = String(UInt64.random(in: 0...UInt64.max), radix: 36)
        let gone = (0..<1_200).map { "pod-\(run)-that-was-deleted-\($0)" }
        for pod in gone { try app.append(Labels(["__name__": "m", "pod": pod]), 0, 1) }
        try app.append(Labels(["__name__": "m", "pod": "pod-\(run)-that-still-runs"]), 600_000, 1)
        app.commit()
        let result = storage.applyRetention(now: 600_000)
        #expect(result.seriesRemoved == 1_200)
        #expect(gone.allSatisfy { !LabelInterner.shared.contains($0) })
        #expect(storage.querier().labelValues("pod", []) == ["pod-\(run)-that-still-runs"])
    }

    @Test func retentionByBytesDropsOldestChunksFirst() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 40, maxBytes: 4_000))
        let app = storage.appender()
        for s in 0..<10 {
            let labels = Labels(["__name__": "m", "s": String(s)])
            for i in 0..<480 { try app.append(labels, Int64(i) * 15_000, Double((i * 7919 + s) % 1000)) }
        }
        app.commit()
        let before = storage.head.chunkBytes
        #expect(before > 4_000)
        let result = storage.applyRetention(now: 480 * 15_000)
        #expect(result.chunksRemoved > 0)
        #expect(storage.head.chunkBytes <= 4_000)
        for series in storage.querier().select([.equal("__name__", "m")], minTime: .min, maxTime: .max) {
            #expect(series.samples().last?.t == Int64(479 * 15_000), "newest samples survive")
        }
    }
}
