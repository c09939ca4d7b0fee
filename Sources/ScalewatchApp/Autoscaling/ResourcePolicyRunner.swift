import Autoscale
import PromQL
import TSDB

/// A resource policy at work: each evaluation feeds every pod's CPU and memory (and OOM kills)
/// into its containers' decaying histograms and estimates requests as VPA does: target p90,
/// lower bound p50, upper bound p95, the safety margin, bounds widened while history is short,
/// within min and max allowed.
struct ResourcePolicyRunner: Sendable {
    /// One container's estimate at one evaluation.
    struct Estimate: Sendable {
        var container: String
        var estimate: ResourceEstimate
        var explanation: Explanation
    }

    let policy: AutoscalingConfig.ResourcePolicy
    var histories: [String: ContainerHistory] = [:]
    let sampleEveryMs: Int64

    init(policy: AutoscalingConfig.ResourcePolicy, sampleEveryMs: Int64) {
        self.policy = policy
        self.sampleEveryMs = sampleEveryMs
    }

    var estimator: ResourceEstimator {
        var e = ResourceEstimator()
        e.safetyMargin = policy.safetyMargin
        e.minCPUCores = policy.minCPU
        e.minMemoryBytes = policy.minMemory
        return e
    }

    func container(_ labels: [String: String]) -> String { labels["container"] ?? policy.container ?? "main" }

    /// Feeds one evaluation's samples (one per pod or container) into the histories.
    mutating func observe(cpu: [VectorSample], memory: [VectorSample], ooms: [VectorSample], at t: Int64) {
        var h = histories
        let empty = fresh()
        for s in cpu { h[container(s.labels), default: empty].addCPU(s.value, atMs: t) }
        for s in memory { h[container(s.labels), default: empty].addMemory(s.value, atMs: t) }
        for kill in ooms where kill.value > 0 {
            // The pod's memory when it was killed: its own sample, or the container's largest.
            let name = container(kill.labels)
            let pod = kill.labels["pod"]
            let used = memory.first { $0.labels["pod"] == pod && pod != nil && container($0.labels) == name }?.value
                ?? memory.filter { container($0.labels) == name }.map(\.value).max() ?? 0
            h[name, default: empty].addOOM(memoryUsedBytes: used, atMs: t)
        }
        histories = h
    }

    private func fresh() -> ContainerHistory {
        var h = ContainerHistory()
        h.memoryIntervalMs = policy.memoryIntervalMs
        return h
    }

    /// Each container's estimate within the policy's bounds, explained.
    func estimates() -> [Estimate] {
        histories.keys.sorted().compactMap { name in
            let h = histories[name]!
            guard !h.cpu.isEmpty || !h.memory.isEmpty else { return nil }
            var est = h.estimate(estimator, sampleEveryMs: sampleEveryMs)
            var e = Explanation()
            e.inputs["history_days"] = h.lifespanDays
            e.inputs["cpu_samples"] = Double(h.cpuSamples)
            e.inputs["oom_kills"] = Double(h.ooms)
            e.step("cpu_target", est.cpuCores.target, "p90 × \(1 + policy.safetyMargin)")
            e.step("cpu_lower", est.cpuCores.lower, "p50, widened by confidence")
            e.step("cpu_upper", est.cpuCores.upper, "p95, widened by confidence")
            e.step("memory_target", est.memoryBytes.target, "p90 of per-interval peaks × \(1 + policy.safetyMargin)")
            e.step("memory_lower", est.memoryBytes.lower, "p50")
            e.step("memory_upper", est.memoryBytes.upper, "p95")
            if let maxCPU = policy.maxCPU, est.cpuCores.upper > maxCPU || est.cpuCores.target > maxCPU {
                est.cpuCores = (min(est.cpuCores.lower, maxCPU), min(est.cpuCores.target, maxCPU), min(est.cpuCores.upper, maxCPU))
                e.step("cpu_capped", est.cpuCores.target, "max_allowed cpu \(maxCPU)")
            }
            if let maxMemory = policy.maxMemory, est.memoryBytes.upper > maxMemory || est.memoryBytes.target > maxMemory {
                est.memoryBytes = (min(est.memoryBytes.lower, maxMemory), min(est.memoryBytes.target, maxMemory), min(est.memoryBytes.upper, maxMemory))
                e.step("memory_capped", est.memoryBytes.target, "max_allowed memory \(maxMemory)")
            }
            e.final = est.cpuCores.target
            return Estimate(container: name, estimate: est, explanation: e)
        }
    }

    /// `vllm: cpu 1.25 cores (0.9–2.1), memory 8.1GiB (7.9GiB–9.4GiB), 3.2 days of history, 0 OOM kills`.
    static func oneLine(_ e: Estimate, history: ContainerHistory) -> String {
        let c = e.estimate.cpuCores, m = e.estimate.memoryBytes
        func cores(_ v: Double) -> String { GoFloat.formatG((v * 1000).rounded() / 1000) }
        func gib(_ v: Double) -> String { GoFloat.formatG((v / 1_073_741_824 * 100).rounded() / 100) + "GiB" }
        let days = GoFloat.formatG((history.lifespanDays * 100).rounded() / 100)
        return "\(e.container): cpu \(cores(c.target)) cores (\(cores(c.lower))–\(cores(c.upper))), memory \(gib(m.target)) "
            + "(\(gib(m.lower))–\(gib(m.upper))), \(days) days of history, \(history.ooms) OOM kills"
    }
}
