import ConfigSupport
import PromQL

extension AutoscalingConfig {
    /// A `quotas` policy: one cohort's capacity of one flavor and resource shared among its
    /// ClusterQueues by demand, read from Kueue's metrics.
    public struct QuotaPolicy: Sendable {
        /// A ClusterQueue's guarantees in the share.
        public struct Queue: Sendable, Equatable {
            public var name: String
            public var minimum = 0.0
            public var maximum: Double? = nil
            public var weight = 1.0
        }

        public var name: String
        public var cohort: String
        public var flavor: String
        public var resource: String
        public var mode = Mode.recommend
        /// A fixed capacity, or a query giving it (such as the nodes' allocatable GPUs).
        public var capacity: Double?
        public var capacityQuery: String?
        public var capacityExpr: Expr?
        /// Configured queues; queues of the cohort found in Kueue's metrics join with defaults.
        public var queues: [Queue] = []
        public var stabilizationWindowMs: Int64 = 30 * 60_000
        public var maxStep: Int? = nil
        /// Queues whose admission-wait p95 is above it weigh more, in proportion.
        public var admissionWaitSLOSeconds: Double? = nil

        var text: String {
            "\(name)|\(cohort)|\(flavor)|\(resource)|\(mode)|\(capacity ?? -1)|\(capacityQuery ?? "")|\(stabilizationWindowMs)|\(maxStep ?? -1)|"
                + "\(admissionWaitSLOSeconds ?? -1)|" + queues.map { "\($0.name):\($0.minimum):\($0.maximum ?? -1):\($0.weight)" }.joined(separator: ";")
        }
    }

    static func quotaPolicy(_ node: ConfigNode) -> QuotaPolicy? {
        guard let m = node.mapping(allowed: ["name", "cohort", "flavor", "resource", "mode", "capacity", "capacity_query", "queues",
                                             "stabilization_window", "max_step", "admission_wait_slo"]) else { return nil }
        guard let name = m.require("name")?.string, let cohort = m.require("cohort")?.string,
              let flavor = m.require("flavor")?.string, let resource = m.require("resource")?.string else { return nil }
        var p = QuotaPolicy(name: name, cohort: cohort, flavor: flavor, resource: resource)
        if let text = m["mode"]?.string {
            if let mode = Mode(rawValue: text) { p.mode = mode } else { m["mode"]?.fail("mode must be recommend, dry-run or apply, got \"\(text)\"") }
        }
        p.capacity = m["capacity"]?.quantity
        if let c = p.capacity, c >= 1e15 { m["capacity"]?.fail("capacity \(c) is beyond what quotas are counted in (below 10^15)") }
        if let text = m["capacity_query"]?.string {
            p.capacityQuery = text
            p.capacityExpr = query(text, m["capacity_query"]!)
        }
        if (p.capacity == nil) == (p.capacityQuery == nil) {
            node.fail("a quota policy needs exactly one of capacity (a number) or capacity_query (PromQL such as the nodes' allocatable GPUs)")
        }
        var names = Set<String>()
        for q in m["queues"]?.list ?? [] {
            guard let qm = q.mapping(allowed: ["name", "minimum", "maximum", "weight"]), let queueName = qm.require("name")?.string else { continue }
            var queue = QuotaPolicy.Queue(name: queueName)
            if let v = qm["minimum"]?.quantity { queue.minimum = v }
            queue.maximum = qm["maximum"]?.quantity
            if let v = qm["weight"]?.double {
                if v < 0 { qm["weight"]?.fail("weight must not be negative") } else { queue.weight = v }
            }
            if queue.minimum >= 1e15 || (queue.maximum ?? 0) >= 1e15 { q.fail("queue \(queueName): minimum and maximum must be below 10^15") }
            if let maximum = queue.maximum, maximum < queue.minimum {
                q.fail("queue \(queueName): maximum (\(maximum)) is below minimum (\(queue.minimum)): no quota satisfies both")
            }
            if !names.insert(queueName).inserted { q.fail("queue \(queueName) is listed twice") }
            p.queues.append(queue)
        }
        if let capacity = p.capacity {
            let floors = p.queues.reduce(0) { $0 + $1.minimum }
            if floors > capacity {
                node.fail("the queues' minimums add up to \(floors), above the capacity \(capacity): they cannot all be guaranteed")
            }
        }
        if let d = m["stabilization_window"]?.duration { p.stabilizationWindowMs = d.milliseconds }
        if let n = m["max_step"]?.int {
            if n < 1 { m["max_step"]?.fail("max_step must be at least 1") } else { p.maxStep = n }
        }
        if let d = m["admission_wait_slo"]?.nonZeroDuration { p.admissionWaitSLOSeconds = Double(d.milliseconds) / 1000 }
        return p
    }
}
