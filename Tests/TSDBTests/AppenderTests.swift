import Testing
import TestSupport
@testable import TSDB

@Suite struct AppenderTests {
    let labels = Labels(["__name__": "m", "job": "j"])

    @Test func rejectsOutOfOrderDuplicateAndTooOldOneByOne() throws {
        let head = Head(retentionMs: 60_000)
        let app = HeadAppender(head: head, wal: nil)
        try app.append(labels, 100_000, 1)
        try app.append(labels, 100_000, 1)
        #expect(app.pendingCount == 1)
        #expect(throws: AppendError.self) { try app.append(labels, 100_000, 2) }
        #expect(throws: AppendError.self) { try app.append(labels, 99_000, 2) }
        try app.append(labels, 115_000, 3)
        app.commit()
        let other = Labels(["__name__": "other"])
        do {
            try app.append(other, 10_000, 1)
            Issue.record("a sample older than retention must be rejected")
        } catch {
            guard case .tooOld = error else { Issue.record("\(error)"); return }
        }
        // Identical duplicates of committed samples are ignored, different values rejected.
        try app.append(labels, 115_000, 3)
        do {
            try app.append(labels, 115_000, 4)
            Issue.record("expected duplicate error")
        } catch {
            #expect(error.description.contains("duplicate sample for timestamp"))
        }
        app.commit()
        let samples = HeadQuerier(head: head).select([.equal("job", "j")], minTime: 0, maxTime: .max)[0].samples()
        #expect(samples.map(\.t) == [100_000, 115_000])
        #expect(samples.map(\.v) == [1, 3])
    }

    @Test func rollbackDiscardsTheBatch() throws {
        let head = Head(retentionMs: 60_000)
        let app = HeadAppender(head: head, wal: nil)
        try app.append(labels, 1000, 1)
        app.rollback()
        #expect(HeadQuerier(head: head).select([.equal("job", "j")], minTime: 0, maxTime: .max).isEmpty)
        try app.append(labels, 1000, 5)
        app.commit()
        #expect(HeadQuerier(head: head).select([.equal("job", "j")], minTime: 0, maxTime: .max)[0].samples().map(\.v) == [5])
    }

    @Test func chunksAreCutAt120SamplesAndQueriesSeeWholeChunks() throws {
        let head = Head(retentionMs: 1 << 40)
        let app = HeadAppender(head: head, wal: nil)
        for i in 0..<300 { try app.append(labels, Int64(i) * 15_000, Double(i)) }
        app.commit()
        let all = HeadQuerier(head: head).select([.equal("job", "j")], minTime: 0, maxTime: .max)[0]
        #expect(all.chunks.map(\.sampleCount) == [120, 120, 60])
        #expect(all.samples().count == 300)
        let window = HeadQuerier(head: head).select([.equal("job", "j")], minTime: 15_000 * 119, maxTime: 15_000 * 121)[0]
        #expect(window.chunks.count == 2)
        let expected: [Int64] = [1_785_000, 1_800_000, 1_815_000]
        #expect(window.samples().map(\.t) == expected)
    }

    @Test func labelsAreSortedDedupedAndHashedStably() throws {
        let a = try Labels([Label("b", "2"), Label("a", "1"), Label("c", "")])
        #expect(a.pairs == [Label("a", "1"), Label("b", "2")])
        #expect(throws: LabelsError.self) { try Labels([Label("a", "1"), Label("a", "2")]) }
        // Fixed value: the hash must not change between runs or releases (WAL, sharding). The
        // constant is FNV-1a-64 over "a\u{ff}1\u{ff}b\u{ff}2\u{ff}", computed outside Swift.
        #expect(Labels(["a": "1", "b": "2"]).stableHash == a.stableHash)
        #expect(a.stableHash == 0x1cc3_7fac_8a64_ae01)
        #expect(a.description == "{a=\"1\", b=\"2\"}")
    }
}
