import Autoscale
import PromQL

/// A resource policy replayed over history: at each step the target in force (from the history
/// before it) is compared with what the pods used, then the step's samples feed the histograms.
enum ResourceReplay {
    static func run(_ p: AutoscalingConfig.ResourcePolicy, engine: Engine, steps: [Int64], stepMs: Int64) throws -> [Backtest.ResourceResult] {
        var runner = ResourcePolicyRunner(policy: p, sampleEveryMs: stepMs)
        struct Totals { var cpuSlack = 0.0, memorySlack = 0.0, samples = 0, oomRiskSteps = 0 }
        var totals: [String: Totals] = [:]
        var targets: [String: ResourceEstimate] = [:]
        for t in steps {
            let cpu = try AutoscaleService.vector(engine, p.cpu, at: t)
            let memory = try AutoscaleService.vector(engine, p.memory, at: t)
            let ooms = try p.oom.map { try AutoscaleService.vector(engine, $0, at: t) } ?? []
            var risky = Set<String>()
            for (c, m) in zip(cpu, memory) where c.labels["pod"] == m.labels["pod"] {
                let name = runner.container(c.labels)
                guard let target = targets[name] else { continue }
                totals[name, default: Totals()].cpuSlack += target.cpuCores.target - c.value
                totals[name, default: Totals()].memorySlack += target.memoryBytes.target - m.value
                totals[name, default: Totals()].samples += 1
                // Memory above the recommended request: the pod risks an OOM kill if its limit follows the request.
                if m.value > target.memoryBytes.target { risky.insert(name) }
            }
            for name in risky { totals[name, default: Totals()].oomRiskSteps += 1 }
            runner.observe(cpu: cpu, memory: memory, ooms: ooms, at: t)
            for e in runner.estimates() { targets[e.container] = e.estimate }
        }
        return targets.keys.sorted().map { name in
            let s = totals[name] ?? Totals()
            let n = Double(max(1, s.samples))
            return Backtest.ResourceResult(policy: p.name, container: name, meanCPUSlackCores: s.cpuSlack / n, meanMemorySlackBytes: s.memorySlack / n,
                                           oomRiskMinutes: Double(s.oomRiskSteps) * Double(stepMs) / 60_000,
                                           finalCPUCores: targets[name]!.cpuCores.target, finalMemoryBytes: targets[name]!.memoryBytes.target)
        }
    }
}
