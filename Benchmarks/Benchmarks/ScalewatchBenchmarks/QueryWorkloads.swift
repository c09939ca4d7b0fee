import Benchmark
import PromQL
import TSDB

extension BenchmarkMetric {
    static let nanosPerPoint = BenchmarkMetric.custom("ns per output point", polarity: .prefersSmaller, useScalingFactor: false)
}

/// Stores and queries for issue 5's speed figures: 1 h of 15 s data (plus 5 min before, so every
/// `[5m]` window is full) evaluated at 15 s steps.
enum QueryWorkloads {
    static let stepMs: Int64 = 15_000
    static let startMs: Int64 = 5 * 60_000
    static let endMs: Int64 = startMs + 3_600_000

    /// 10,000 counters `x{job, instance}` in 10 jobs.
    static func counters() throws -> Storage {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        for batch in 0..<10 {
            let app = storage.appender()
            for i in batch * 1_000..<(batch + 1) * 1_000 {
                let s = app.series(for: Labels(["__name__": "x", "job": "job-\(i % 10)", "instance": "10.0.\(i / 256).\(i % 256):8000"]))
                var v = 0.0
                for k in 0...Int(endMs / stepMs) {
                    v += Double((i &* 7 &+ k &* 13) % 50)
                    try app.append(s, Int64(k) * stepMs, v)
                }
            }
            app.commit()
        }
        return storage
    }

    /// 1,000 classic histograms `x_bucket{h, le}` of 11 buckets.
    static func histograms() throws -> Storage {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let bounds = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"]
        for batch in 0..<10 {
            let app = storage.appender()
            for h in batch * 100..<(batch + 1) * 100 {
                for (b, le) in bounds.enumerated() {
                    let s = app.series(for: Labels(["__name__": "x_bucket", "h": String(h), "le": le]))
                    var v = 0.0
                    for k in 0...Int(endMs / stepMs) {
                        v += Double(((h &* 3 &+ k) % 7 + 1) * (b + 1))
                        try app.append(s, Int64(k) * stepMs, v)
                    }
                }
            }
            app.commit()
        }
        return storage
    }

    /// 20 gauges `y{i}` with 1,000 steps of data.
    static func twenty() throws -> Storage {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for i in 0..<20 {
            let s = app.series(for: Labels(["__name__": "y", "i": String(i)]))
            for k in 0..<1_000 { try app.append(s, Int64(k) * stepMs, Double((i * 31 + k) % 97)) }
        }
        app.commit()
        return storage
    }
}

/// Runs `query` over the workload's hour (or `steps` steps) and records ns per output point.
func measureRange(_ benchmark: Benchmark, _ storage: Storage, _ query: String, startMs: Int64 = QueryWorkloads.startMs,
                  endMs: Int64 = QueryWorkloads.endMs) {
    let engine = Engine(querier: storage.querier())
    let clock = ContinuousClock()
    let start = clock.now
    let value = try! engine.range(query, startMs: startMs, endMs: endMs, stepMs: QueryWorkloads.stepMs)
    let elapsed = clock.now - start
    guard case .matrix(let series) = value else { fatalError("\(query) gave no matrix") }
    let points = series.reduce(0) { $0 + $1.points.count }
    benchmark.measurement(.nanosPerPoint, picos(elapsed, per: points) / 1000)
    blackHole(series)
}

func queryBenchmarks() {
    let configuration = Benchmark.Configuration(metrics: [.nanosPerPoint, .peakMemoryResident, .wallClock], maxDuration: .seconds(20), maxIterations: 5)
    Benchmark("query: rate(x[5m]), 10,000 series, 1 h at 15 s", configuration: configuration) { (benchmark: Benchmark, storage: Storage) in
        measureRange(benchmark, storage, "rate(x[5m])")
    } setup: { try QueryWorkloads.counters() }
    Benchmark("query: sum by (job) (rate(x[5m])), 10,000 series, 1 h at 15 s", configuration: configuration) { (benchmark: Benchmark, storage: Storage) in
        measureRange(benchmark, storage, "sum by (job) (rate(x[5m]))")
    } setup: { try QueryWorkloads.counters() }
    Benchmark("query: x, 10,000 series, 1 h at 15 s", configuration: configuration) { (benchmark: Benchmark, storage: Storage) in
        measureRange(benchmark, storage, "x")
    } setup: { try QueryWorkloads.counters() }
    Benchmark("query: histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m]))), 1,000 histograms", configuration: configuration) { (benchmark: Benchmark, storage: Storage) in
        measureRange(benchmark, storage, "histogram_quantile(0.99, sum by (le) (rate(x_bucket[5m])))")
    } setup: { try QueryWorkloads.histograms() }
    Benchmark("query: y, 20 series x 1,000 steps", configuration: configuration) { (benchmark: Benchmark, storage: Storage) in
        measureRange(benchmark, storage, "y", startMs: 0, endMs: 999 * QueryWorkloads.stepMs)
    } setup: { try QueryWorkloads.twenty() }
}
