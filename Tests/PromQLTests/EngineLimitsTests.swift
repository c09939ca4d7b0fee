import PromQL
import Testing
import TSDB

/// Query limits stop a query with a clear error instead of exhausting memory or time.
@Suite struct EngineLimitsTests {
    static func engine(series: Int, samples: Int) throws -> Engine {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for i in 0..<series {
            let s = app.series(for: Labels(["__name__": "x", "i": String(i)]))
            for k in 0..<samples { try app.append(s, Int64(k) * 15_000, Double(k)) }
        }
        app.commit()
        return Engine(querier: storage.querier())
    }

    @Test func tooManySamplesIsAnError() throws {
        var engine = try Self.engine(series: 10, samples: 40)
        engine.limits.maxSamples = 100
        // 10 series × 20 samples in 5 minutes = 200 samples held.
        #expect(throws: QueryStop.tooManySamples(limit: 100)) { try engine.instant("sum(rate(x[5m]))", atMs: 10 * 60_000) }
        engine.limits.maxSamples = 1_000
        #expect(throws: Never.self) { try engine.instant("sum(rate(x[5m]))", atMs: 10 * 60_000) }
        // A range query holds its result too: 10 series × 41 steps exceed 400.
        engine.limits.maxSamples = 400
        #expect(throws: QueryStop.tooManySamples(limit: 400)) { try engine.range("x", startMs: 0, endMs: 600_000, stepMs: 15_000) }
        // rate over a range, series by series: each series' samples while it is read, plus the
        // result: 10 × 40 points exceed 399.
        engine.limits.maxSamples = 399
        #expect(throws: QueryStop.tooManySamples(limit: 399)) { try engine.range("rate(x[5m])", startMs: 0, endMs: 600_000, stepMs: 15_000) }
        engine.limits.maxSamples = 1_000
        #expect(throws: Never.self) { try engine.range("rate(x[5m])", startMs: 0, endMs: 600_000, stepMs: 15_000) }
    }

    @Test func timeoutAndCancellation() throws {
        var engine = try Self.engine(series: 50, samples: 40)
        engine.limits.timeout = .zero
        #expect(throws: QueryStop.timeout) { try engine.range("rate(x[1m])", startMs: 0, endMs: 600_000, stepMs: 1_000) }
        engine.limits.timeout = nil
        engine.limits.isCancelled = { true }
        #expect(throws: QueryStop.canceled) { try engine.instant("x", atMs: 60_000) }
        #expect(QueryStop.timeout.description == "query timed out in query execution")
    }
}
