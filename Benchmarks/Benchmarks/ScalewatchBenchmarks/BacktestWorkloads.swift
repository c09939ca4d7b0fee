import Benchmark
import ScalewatchApp
import Simulator
import TSDB

extension BenchmarkMetric {
    static let millisPerBacktest = BenchmarkMetric.custom("ms per backtest", polarity: .prefersSmaller, useScalingFactor: false)
}

/// A week of the simulator's demand trace at 15 s (40,320 steps, two models) replayed for 100
/// replica policies, each against the HPA's defaults: what `scalewatch backtest` costs.
func backtestBenchmarks() {
    let configuration = Benchmark.Configuration(metrics: [.millisPerBacktest, .peakMemoryResident], maxDuration: .seconds(60), maxIterations: 3)
    Benchmark("backtest: a week at 15 s, 100 replica policies", configuration: configuration) { benchmark in
        let day: Int64 = 1_795_910_400_000
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        try Backtest.writeSimulatorTrace(.standard(seed: 42), into: storage, fromMs: day - 3_600_000, toMs: day + 7 * 86_400_000, stepMs: 15_000)
        let models = ["meta-llama/Llama-3.1-8B-Instruct", "mistralai/Mixtral-8x7B-Instruct"]
        let policies = (0..<100).map { i in
            let model = models[i % 2]
            return """
                    - name: p\(i)
                      target: \(model)
                      max_replicas: 32
                      signals:
                        - {name: in_flight, query: 'sum(vllm:num_requests_running{model_name="\(model)"}) + sum(vllm:num_requests_waiting{model_name="\(model)"})', target_per_replica: \(8 + i % 24)}
                """
        }
        let config = try ScalewatchConfig(text: "autoscaling:\n  replicas:\n" + policies.joined(separator: "\n"), file: "bench.yml").autoscaling
        let clock = ContinuousClock()
        let start = clock.now
        let report = try Backtest.run(config, storage: storage, options: Backtest.Options(fromMs: day, toMs: day + 7 * 86_400_000))
        benchmark.measurement(.millisPerBacktest, picos(clock.now - start, per: 1) / 1_000_000_000)
        blackHole(report.replicas.count)
    }
}
