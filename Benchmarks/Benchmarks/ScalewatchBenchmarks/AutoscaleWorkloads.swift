import Autoscale
import Benchmark

extension BenchmarkMetric {
    static let nanosPerEvaluation = BenchmarkMetric.custom("ns per evaluation", polarity: .prefersSmaller, useScalingFactor: false)
}

/// The per-evaluation cost of each recommender: 10,000 evaluations of one policy at 15 s steps.
func autoscaleBenchmarks() {
    let configuration = Benchmark.Configuration(metrics: [.nanosPerEvaluation, .mallocCountTotal], maxDuration: .seconds(10), maxIterations: 20)
    Benchmark("autoscale: replica recommender (HPA core, burst, incremental forecast)", configuration: configuration) { benchmark in
        var settings = ReplicaRecommender.Settings()
        settings.maxReplicas = 64
        settings.leadTimeMs = 300_000
        var r = ReplicaRecommender(settings: settings)
        let history = (0..<5_760).map { 50 + 30 * Double($0 % 96) / 96 }
        let clock = ContinuousClock()
        let start = clock.now
        var replicas = 4
        var forecaster = SignalForecaster(stepMs: 15_000)
        for i in 0..<10_000 {
            forecaster.add(history[i % history.count])
            var input = ReplicaRecommender.Input(signals: [(name: "in_flight", value: history[i % history.count], targetPerReplica: 10)],
                                                 currentReplicas: replicas, readyReplicas: replicas)
            input.panicSignals = [history[(i + 7) % history.count]]
            input.forecaster = forecaster
            replicas = r.recommend(at: Int64(i) * 15_000, input).replicas
        }
        benchmark.measurement(.nanosPerEvaluation, picos(clock.now - start, per: 10_000) / 1000)
        blackHole(replicas)
    }
    Benchmark("autoscale: VPA estimate (add a CPU and a memory sample, then estimate)", configuration: configuration) { benchmark in
        var cpu = DecayingHistogram(options: .cpu), memory = DecayingHistogram(options: .memory)
        let estimator = ResourceEstimator()
        let clock = ContinuousClock()
        let start = clock.now
        var last = 0.0
        for i in 0..<10_000 {
            let t = Int64(i) * 60_000
            cpu.add(0.5 + Double(i % 50) / 100, weight: 1, atMs: t)
            memory.add(1e9 + Double(i % 100) * 1e7, weight: 1, atMs: t)
            last = estimator.estimate(cpu: cpu, memory: memory, lifespanDays: Double(i) / 1_440, samples: i + 1).cpuCores.target
        }
        benchmark.measurement(.nanosPerEvaluation, picos(clock.now - start, per: 10_000) / 1000)
        blackHole(last)
    }
    Benchmark("autoscale: quota share of a cohort of 8 ClusterQueues", configuration: configuration) { benchmark in
        let queues = (0..<8).map { QuotaShare.Queue(name: "q\($0)", usage: Double($0), pending: Double(8 - $0) * 2, minimum: 1, weight: 1 + Double($0 % 3)) }
        let clock = ContinuousClock()
        let start = clock.now
        var total = 0
        for i in 0..<10_000 { total += QuotaShare.share(capacity: 64 + i % 8, queues: queues).quota.count }
        benchmark.measurement(.nanosPerEvaluation, picos(clock.now - start, per: 10_000) / 1000)
        blackHole(total)
    }
    Benchmark("autoscale: quota policy step of 8 ClusterQueues (share, 30m window, max step, v1beta2 output)", configuration: configuration) { benchmark in
        let queues = (0..<8).map { QuotaShare.Queue(name: "q\($0)", usage: Double($0), pending: Double(8 - $0) * 2, minimum: 1, weight: 1 + Double($0 % 3)) }
        var stabilizer = QuotaStabilizer(windowMs: 30 * 60_000, maxStep: 4)
        var current = Dictionary(uniqueKeysWithValues: queues.map { ($0.name, 8) })
        let clock = ContinuousClock()
        let start = clock.now
        var bytes = 0
        for i in 0..<10_000 {
            let share = QuotaShare.share(capacity: 64 + i % 8, queues: queues)
            let steps = stabilizer.apply(at: Int64(i) * 15_000, proposed: share.quota, current: current, capacity: 64 + i % 8)
            current = steps.mapValues(\.final)
            let proposals = steps.map { KueueQuota.ResourceQuota(clusterQueue: $0.key, flavor: "gpu-a100", resource: "nvidia.com/gpu", nominalQuota: Double($0.value.final)) }
            bytes += KueueQuota.clusterQueuesJSON(proposals).reduce(0) { $0 + $1.json.utf8.count }
        }
        benchmark.measurement(.nanosPerEvaluation, picos(clock.now - start, per: 10_000) / 1000)
        blackHole(bytes)
    }
}
