import ConfigSupport
import PromQL

extension AutoscalingConfig {
    /// A `resources` policy: VPA's method for one workload's containers, fed by PromQL giving
    /// each pod's CPU cores and memory bytes (one series per pod or container), optionally its
    /// OOM kills, bounded by min and max allowed.
    public struct ResourcePolicy: Sendable {
        public var name: String
        /// The workload (a Deployment or model name) whose containers are sized.
        public var target: String
        public var container: String?
        public var mode = Mode.recommend
        public var cpuQuery: String
        public var cpu: Expr
        public var memoryQuery: String
        public var memory: Expr
        /// A vector of OOM kills per pod since the last evaluation (such as an `increase`).
        public var oomQuery: String?
        public var oom: Expr?
        public var minCPU = 0.025, minMemory = 250.0 * 1_048_576
        public var maxCPU: Double? = nil, maxMemory: Double? = nil
        public var safetyMargin = 0.15
        public var memoryIntervalMs: Int64 = 24 * 3_600_000

        var text: String {
            "\(name)|\(target)|\(container ?? "")|\(mode)|\(cpuQuery)|\(memoryQuery)|\(oomQuery ?? "")|\(minCPU)|\(minMemory)|"
                + "\(maxCPU ?? -1)|\(maxMemory ?? -1)|\(safetyMargin)|\(memoryIntervalMs)"
        }
    }

    static func resourcePolicy(_ node: ConfigNode) -> ResourcePolicy? {
        guard let m = node.mapping(allowed: ["name", "target", "container", "mode", "cpu", "memory", "oom_kills", "min_allowed", "max_allowed",
                                             "safety_margin", "memory_interval"]) else { return nil }
        guard let name = m.require("name")?.string, let target = m.require("target")?.string,
              let cpuText = m.require("cpu")?.string, let memoryText = m.require("memory")?.string else { return nil }
        guard let cpu = query(cpuText, m["cpu"]!), let memory = query(memoryText, m["memory"]!) else { return nil }
        var p = ResourcePolicy(name: name, target: target, cpuQuery: cpuText, cpu: cpu, memoryQuery: memoryText, memory: memory)
        p.container = m["container"]?.string
        if let text = m["mode"]?.string {
            if let mode = Mode(rawValue: text) { p.mode = mode } else { m["mode"]?.fail("mode must be recommend, dry-run or apply, got \"\(text)\"") }
        }
        if let text = m["oom_kills"]?.string, let expr = query(text, m["oom_kills"]!) {
            p.oomQuery = text
            p.oom = expr
        }
        if let bounds = m["min_allowed"]?.mapping(allowed: ["cpu", "memory"]) {
            if let v = bounds["cpu"]?.quantity { p.minCPU = v }
            if let v = bounds["memory"]?.quantity { p.minMemory = v }
        }
        if let bounds = m["max_allowed"]?.mapping(allowed: ["cpu", "memory"]) {
            p.maxCPU = bounds["cpu"]?.quantity
            p.maxMemory = bounds["memory"]?.quantity
        }
        if let maxCPU = p.maxCPU, maxCPU < p.minCPU { m["max_allowed"]?.fail("max_allowed cpu (\(maxCPU)) is below min_allowed cpu (\(p.minCPU))") }
        if let maxMemory = p.maxMemory, maxMemory < p.minMemory {
            m["max_allowed"]?.fail("max_allowed memory (\(maxMemory)) is below min_allowed memory (\(p.minMemory))")
        }
        if let v = m["safety_margin"]?.double {
            if v < 0 || v > 10 { m["safety_margin"]?.fail("safety_margin must be between 0 and 10 (a fraction: 0.15 is 15 %)") } else { p.safetyMargin = v }
        }
        if let d = m["memory_interval"]?.nonZeroDuration { p.memoryIntervalMs = d.milliseconds }
        return p
    }

    static func query(_ text: String, _ node: ConfigNode) -> Expr? {
        do { return try Parser.parse(text) } catch {
            node.fail("could not parse query: \(error.describe(in: text))")
            return nil
        }
    }

    /// VPA and HPA fighting over CPU: a replica policy of the same workload scaling on a CPU
    /// metric while a resource policy sizes its CPU. Each change of one moves the other's signal.
    static func cpuConflicts(replicas: [ReplicaPolicy], resources: [ResourcePolicy]) -> [(resource: String, replica: String, signal: String)] {
        var out: [(String, String, String)] = []
        for r in resources {
            for p in replicas where p.target == r.target {
                for s in p.signals where s.expr.metricNames.contains(where: { $0.lowercased().contains("cpu") }) {
                    out.append((r.name, p.name, s.name))
                }
            }
        }
        return out
    }
}
