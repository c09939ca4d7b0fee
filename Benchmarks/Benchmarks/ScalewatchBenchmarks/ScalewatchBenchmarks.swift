import Benchmark
import Exposition
import Foundation
import Remote
import Scrape
import TSDB

/// Figures recorded per run as custom metrics, so the table prints the budgets' own units.
extension BenchmarkMetric {
    static let picosPerSample = BenchmarkMetric.custom("ps per sample", polarity: .prefersSmaller, useScalingFactor: false)
    static let milliBytesPerSample = BenchmarkMetric.custom("mB (1/1000 byte) per sample", polarity: .prefersSmaller, useScalingFactor: false)
    static let bytesPerSeries = BenchmarkMetric.custom("bytes per series", polarity: .prefersSmaller, useScalingFactor: false)
    static let samplesPerSecond = BenchmarkMetric.custom("samples restored per s", polarity: .prefersLarger, useScalingFactor: false)
    static let samplesServed = BenchmarkMetric.custom("samples per s", polarity: .prefersLarger, useScalingFactor: false)
    static let megabytesPerSecond = BenchmarkMetric.custom("MB/s (uncompressed)", polarity: .prefersLarger, useScalingFactor: false)
}

func picos(_ d: Duration, per count: Int) -> Int {
    let (s, atto) = d.components
    return Int((Double(s) * 1e12 + Double(atto) / 1e6) / Double(count))
}

@discardableResult
func parseAllSamples(_ bytes: [UInt8]) -> Int {
    var parser = ExpositionParser(bytes: bytes, format: .prometheusText)
    var n = 0
    var sum = 0.0
    while let entry = try! parser.next() {
        if entry == .sample {
            n += 1
            sum += parser.value
        }
    }
    blackHole(sum)
    return n
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .picosPerSample],
        maxDuration: .seconds(3),
        maxIterations: 1000
    )
    queryBenchmarks()
    autoscaleBenchmarks()
    backtestBenchmarks()

    Benchmark("parse: the three fixtures") { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        let n = parseAllSamples(Workloads.fixtures)
        benchmark.measurement(.picosPerSample, picos(clock.now - start, per: n))
    }

    Benchmark("parse: synthetic 10,000 series") { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        let n = parseAllSamples(Workloads.synthetic10k)
        benchmark.measurement(.picosPerSample, picos(clock.now - start, per: n))
    }

    Benchmark(
        "ingest: steady-state scrape of 10,000 series (parse + cache + append + commit)",
        configuration: .init(metrics: [.wallClock, .mallocCountTotal, .picosPerSample])
    ) { (benchmark: Benchmark, state: (Storage, IngesterBox, ClockBox)) in
        let (storage, ingesterBox, clockBox) = state
        let app = storage.appender()
        clockBox.t += 15_000
        let clock = ContinuousClock()
        let start = clock.now
        let report = try! ingesterBox.ingester.ingest(Workloads.synthetic10k, format: .prometheusText, timestampMs: clockBox.t, into: app)
        app.commit()
        benchmark.measurement(.picosPerSample, picos(clock.now - start, per: report.appended))
    } setup: {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let box = IngesterBox()
        let app = storage.appender()
        _ = try box.ingester.ingest(Workloads.synthetic10k, format: .prometheusText, timestampMs: 0, into: app)
        app.commit()
        return (storage, box, ClockBox())
    }

    // Remote write bodies are snappy-compressed protobuf: labels and numbers, repetitive.
    let snappyInput: [UInt8] = Array(Workloads.synthetic10k.prefix(1 << 20))
    let snappyCompressed = Snappy.compress(snappyInput)

    Benchmark("snappy: compress the 10,000-series exposition", configuration: .init(metrics: [.megabytesPerSecond, .mallocCountTotal])) { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<10 { blackHole(Snappy.compress(snappyInput)) }
        benchmark.measurement(.megabytesPerSecond, megabytesPerSecond(10 * snappyInput.count, clock.now - start))
    }

    Benchmark("snappy: decompress the same", configuration: .init(metrics: [.megabytesPerSecond, .mallocCountTotal])) { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<10 { blackHole(try! Snappy.decompress(snappyCompressed)) }
        benchmark.measurement(.megabytesPerSecond, megabytesPerSecond(10 * snappyInput.count, clock.now - start))
    }

    for (name, type) in [("SAMPLES", Prometheus_ReadRequest.ResponseType.samples), ("STREAMED_XOR_CHUNKS", .streamedXorChunks)] {
        Benchmark(
            "remote read: \(name), 1,000,000 samples (1,000 series x 1,000)",
            configuration: .init(metrics: [.samplesServed], maxDuration: .seconds(20), maxIterations: 10)
        ) { (benchmark: Benchmark, state: (Storage, [UInt8])) in
            let clock = ContinuousClock()
            let start = clock.now
            let handler = RemoteReadHandler(querier: state.0.querier(), externalLabels: [:])
            blackHole(try handler.handle(body: state.1))
            benchmark.measurement(.samplesServed, Int(1_000_000 / seconds(clock.now - start)))
        } setup: {
            (try RemoteWorkloads.store(), try RemoteWorkloads.readBody(type))
        }
    }

    Benchmark(
        "remote write: receive 100,000 samples (1,000 series x 100) per request",
        configuration: .init(metrics: [.samplesServed], maxDuration: .seconds(20), maxIterations: 20)
    ) { (benchmark: Benchmark, state: (Storage, ClockBox)) in
        // Each request carries the next 100 samples of every series (built outside the timing).
        let body = try RemoteWorkloads.writeBody(batch: Int(state.1.t))
        state.1.t += 1
        let clock = ContinuousClock()
        let start = clock.now
        blackHole(try RemoteWriteReceiver.handle(body: body, limit: 256 << 20, into: state.0))
        benchmark.measurement(.samplesServed, Int(100_000 / seconds(clock.now - start)))
    } setup: {
        (try Storage(options: StorageOptions(retentionMs: 1 << 50)), ClockBox())
    }

    Benchmark("chunk: XOR append, 120 samples") { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<100 {
            var e = XORChunkEncoder()
            var v = 100.0
            for i in 0..<120 {
                v += Double(i & 7)
                e.append(Int64(i) * 15_000, v)
            }
            blackHole(e.byteCount)
        }
        benchmark.measurement(.picosPerSample, picos(clock.now - start, per: 12_000))
    }

    let chunk: Chunk = {
        var e = XORChunkEncoder()
        var v = 100.0
        for i in 0..<120 {
            v += Double(i & 7)
            e.append(Int64(i) * 15_000, v)
        }
        return e.chunk()
    }()

    Benchmark("chunk: XOR decode, 120 samples") { benchmark in
        let clock = ContinuousClock()
        let start = clock.now
        var sum = 0.0
        for _ in 0..<100 {
            var it = chunk.makeIterator()
            while it.next() { sum += it.value }
        }
        blackHole(sum)
        benchmark.measurement(.picosPerSample, picos(clock.now - start, per: 12_000))
    }

    func storedBytesPerSample(_ series: [[(Int64, Double)]]) throws -> Int {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        var samples = 0
        for (i, points) in series.enumerated() {
            let labels = Labels(["__name__": "m", "i": String(i)])
            for (t, v) in points { try app.append(labels, t, v) }
            samples += points.count
        }
        app.commit()
        return storage.head.chunkBytes * 1000 / samples
    }

    Benchmark(
        "size: fixture series scraped every 15 s for 3 h",
        configuration: .init(metrics: [.milliBytesPerSample], maxIterations: 1)
    ) { benchmark in
        benchmark.measurement(.milliBytesPerSample, try storedBytesPerSample(Workloads.fixtureDrivenSeries(scrapes: 720)))
    }

    Benchmark(
        "size: stress mix, 1,000 always-changing series x 720 samples (15 s, 3 h)",
        configuration: .init(metrics: [.milliBytesPerSample], maxIterations: 1)
    ) { benchmark in
        benchmark.measurement(.milliBytesPerSample, try storedBytesPerSample(Workloads.realisticSeries(count: 1000, samples: 720)))
    }

    Benchmark(
        "memory: 1,000,000 series, per-series overhead beyond samples",
        configuration: .init(metrics: [.bytesPerSeries], maxDuration: .seconds(120), maxIterations: 1)
    ) { benchmark in
        let before = Workloads.allocatedBytes()
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for i in 0..<1_000_000 {
            let labels = Labels([
                "__name__": "vllm:num_requests_running", "job": "vllm", "namespace": "serving",
                "instance": "10.\(i >> 16).\((i >> 8) & 255).\(i & 255):8000", "model_name": "model-\(i % 1000)",
            ])
            try app.append(labels, 1_000, 1)
            if i % 10_000 == 9_999 { app.commit() }
        }
        app.commit()
        let after = Workloads.allocatedBytes()
        let sampleBytes = storage.head.chunkBytes
        benchmark.measurement(.bytesPerSeries, (after - before - sampleBytes) / 1_000_000)
        blackHole(storage)
    }

    Benchmark(
        "wal: replay of 1,000 series x 1,000 samples",
        configuration: .init(metrics: [.samplesPerSecond], maxDuration: .seconds(60), maxIterations: 3)
    ) { (benchmark: Benchmark, directory: String) in
        let clock = ContinuousClock()
        let start = clock.now
        let storage = try! Storage(options: StorageOptions(path: directory, retentionMs: 1 << 50))
        let elapsed = clock.now - start
        let restored = storage.restoreStats.samplesFromWAL
        benchmark.measurement(.samplesPerSecond, Int(Double(restored) / (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)))
    } setup: {
        let directory = NSTemporaryDirectory() + "scalewatch-bench-wal-\(UUID().uuidString)"
        let storage = try Storage(options: StorageOptions(path: directory, retentionMs: 1 << 50))
        for batch in 0..<10 {
            let app = storage.appender()
            for s in 0..<1000 {
                let labels = Labels(["__name__": "m", "s": String(s)])
                for i in 0..<100 { try app.append(labels, Int64(batch * 100 + i) * 15_000, Double(i)) }
            }
            app.commit()
            try storage.flushWAL()
        }
        return directory
    }
}

func seconds(_ d: Duration) -> Double {
    let (s, atto) = d.components
    return Double(s) + Double(atto) / 1e18
}

/// Megabytes (10^6) of `bytes` handled per second in `d`.
func megabytesPerSecond(_ bytes: Int, _ d: Duration) -> Int {
    let (s, atto) = d.components
    return Int(Double(bytes) / 1e6 / (Double(s) + Double(atto) / 1e18))
}

final class IngesterBox: @unchecked Sendable {
    var ingester = ExpositionIngester(targetLabels: [Label("job", "bench"), Label("instance", "127.0.0.1:9")])
}

final class ClockBox: @unchecked Sendable {
    var t: Int64 = 0
}
