import Autoscale
import ConfigSupport
import PromQL

/// The `autoscaling` section: `replicas`, `resources` and `quotas` policies, each naming its
/// target, its signals as PromQL, bounds and behaviour, and a mode — `recommend` (default: compute,
/// export, explain), `dry-run` (also say what would be applied) or `apply`.
public struct AutoscalingConfig: Sendable, Equatable {
    public enum Mode: String, Sendable { case recommend, dryRun = "dry-run", apply }

    public struct Signal: Sendable {
        public var name: String
        public var query: String
        public var expr: Expr
        public var target: Double
        public var kind: ReplicaRecommender.TargetKind
        /// `scale_down: false`: an SLO guard that asks for more replicas above its target and
        /// is silent below it.
        public var scalesDown = true
        /// `per_pod: true`: the query gives one series per pod (a `pod` label), read as the HPA
        /// reads a Pods metric, with its rules for missing and not-ready pods.
        public var perPod = false
    }

    public struct ReplicaPolicy: Sendable {
        public var name: String
        /// The workload: a Deployment, ServingRuntime or InferenceService name (a model name in the simulator).
        public var target: String
        public var mode = Mode.recommend
        public var minReplicas = 1
        public var maxReplicas = 10
        public var signals: [Signal] = []
        public var burst = true
        public var leadTimeMs: Int64? = nil
        /// The HPA's `behavior`, with one default changed: the scale-down window is 3 minutes, not
        /// 5, since burst mode holds replicas through a burst; on the simulator's trace the shorter
        /// window costs fewer replica-hours for the same SLO-breach minutes (`scalewatch backtest`).
        public var behavior = AutoscalingConfig.defaultBehavior
        public var tolerance = HPATolerance()
        /// Scale to zero (`min_replicas: 0`): KEDA's activation threshold and cooldown.
        public var activationThreshold = 0.0
        public var cooldownMs: Int64 = 300_000
        /// For the backtest's workload model: the load one replica serves before the SLO breaks
        /// (twice the target per replica unless set).
        public var capacityPerReplica: Double? = nil
        /// The workload's pods and their readiness: one series per pod (`pod` label), 1 when
        /// ready (such as kube-state-metrics' `kube_pod_status_ready{condition="true"}`).
        public var podsQuery: String? = nil
        public var pods: Expr? = nil
    }

    /// Kubernetes' default behavior with a 3-minute scale-down window.
    public static let defaultBehavior: HPABehavior = {
        var b = HPABehavior.kubernetesDefault
        b.scaleDown.stabilizationWindowSeconds = 180
        return b
    }()

    public var intervalMs: Int64 = 15_000
    public var replicas: [ReplicaPolicy] = []
    public var resources: [ResourcePolicy] = []
    public var quotas: [QuotaPolicy] = []

    public init() {}

    /// Equal when every policy reads the same: queries compared as written.
    public static func == (a: AutoscalingConfig, b: AutoscalingConfig) -> Bool {
        func text(_ c: AutoscalingConfig) -> [String] {
            c.replicas.map { p in
                "\(p.name)|\(p.target)|\(p.mode)|\(p.minReplicas)|\(p.maxReplicas)|\(p.burst)|\(p.leadTimeMs ?? -1)|\(p.behavior)|\(p.tolerance)|\(p.activationThreshold)|\(p.cooldownMs)|\(p.capacityPerReplica ?? -1)|\(p.podsQuery ?? "")|"
                    + p.signals.map { "\($0.name)=\($0.query)@\($0.target)/\($0.kind)/\($0.scalesDown)/\($0.perPod)" }.joined(separator: ";")
            }
        }
        return a.intervalMs == b.intervalMs && text(a) == text(b) && a.resources.map(\.text) == b.resources.map(\.text)
            && a.quotas.map(\.text) == b.quotas.map(\.text)
    }

    init(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["interval", "replicas", "resources", "quotas"]) else { return }
        if let d = m["interval"]?.nonZeroDuration { intervalMs = d.milliseconds }
        var names = Set<String>()
        func named(_ name: String, _ node: ConfigNode) -> Bool {
            if names.insert(name).inserted { return true }
            node.fail("policy name \"\(name)\" is used twice")
            return false
        }
        for p in m["replicas"]?.list ?? [] {
            if let policy = Self.replicaPolicy(p), named(policy.name, p) { replicas.append(policy) }
        }
        for p in m["resources"]?.list ?? [] {
            if let policy = Self.resourcePolicy(p), named(policy.name, p) { resources.append(policy) }
        }
        for p in m["quotas"]?.list ?? [] {
            if let policy = Self.quotaPolicy(p), named(policy.name, p) { quotas.append(policy) }
        }
        for c in Self.cpuConflicts(replicas: replicas, resources: resources) {
            m["resources"]?.fail("resource policy \"\(c.resource)\" sizes the CPU of a workload that replica policy \"\(c.replica)\" scales on "
                + "a CPU signal (\(c.signal)): each change of one moves the other's signal, as VPA and HPA on CPU fight. "
                + "Scale replicas on another signal (requests in flight, latency) or leave CPU to one policy")
        }
    }

    static func replicaPolicy(_ node: ConfigNode) -> ReplicaPolicy? {
        guard let m = node.mapping(allowed: ["name", "target", "mode", "min_replicas", "max_replicas", "signals", "burst", "lead_time", "scale_down_window",
                                                          "capacity_per_replica", "behavior", "tolerance", "activation_threshold", "cooldown", "pods"]) else { return nil }
        guard let name = m.require("name")?.string, let target = m.require("target")?.string else { return nil }
        var p = ReplicaPolicy(name: name, target: target)
        if let text = m["mode"]?.string {
            if let mode = Mode(rawValue: text) { p.mode = mode } else { m["mode"]?.fail("mode must be recommend, dry-run or apply, got \"\(text)\"") }
        }
        if let n = m["min_replicas"]?.int { p.minReplicas = n }
        if let n = m["max_replicas"]?.int { p.maxReplicas = n }
        if p.minReplicas < 0 { m["min_replicas"]?.fail("min_replicas must not be negative") }
        if p.minReplicas > p.maxReplicas { node.fail("min_replicas (\(p.minReplicas)) is above max_replicas (\(p.maxReplicas)): no replica count satisfies both") }
        if let b = m["burst"]?.bool { p.burst = b }
        if let d = m["lead_time"]?.duration { p.leadTimeMs = d.milliseconds }
        if let b = m["behavior"] { p.behavior = behavior(b, base: p.behavior) }
        if let d = m["scale_down_window"]?.duration {
            if m["behavior"] != nil { m["scale_down_window"]?.fail("scale_down_window and behavior both set the scale-down window: keep one") }
            p.behavior.scaleDown.stabilizationWindowSeconds = Int(d.milliseconds / 1000)
        }
        if let t = m["tolerance"] { p.tolerance = tolerance(t) }
        if let text = m["pods"]?.string, let expr = query(text, m["pods"]!) {
            p.podsQuery = text
            p.pods = expr
        }
        if let v = m["activation_threshold"]?.double { p.activationThreshold = v }
        if let d = m["cooldown"]?.duration { p.cooldownMs = d.milliseconds }
        if let v = m["capacity_per_replica"]?.double {
            if v > 0 { p.capacityPerReplica = v } else { m["capacity_per_replica"]?.fail("capacity_per_replica must be above zero") }
        }
        for s in m["signals"]?.list ?? [] {
            guard let sm = s.mapping(allowed: ["name", "query", "preset", "match", "target_per_replica", "target", "scale_down", "per_pod"]) else { continue }
            let query: String
            var preset: SignalPresets.Preset? = nil
            if let presetName = sm["preset"]?.string {
                guard let found = SignalPresets.named(presetName) else {
                    sm["preset"]?.fail("unknown preset \"\(presetName)\"; presets: \(SignalPresets.all.map(\.name).joined(separator: ", "))")
                    continue
                }
                if sm["query"] != nil { s.fail("a signal takes a query or a preset, not both") }
                preset = found
                query = found.query(match: sm["match"]?.string)
            } else {
                guard let text = sm.require("query")?.string else { continue }
                if sm["match"] != nil { sm["match"]?.fail("match narrows a preset; write the matchers into the query instead") }
                query = text
            }
            let expr: Expr
            do { expr = try Parser.parse(query) } catch {
                (sm["match"] ?? sm["query"] ?? s).fail("could not parse query: \(error.describe(in: query))")
                continue
            }
            let perReplica = sm["target_per_replica"]?.double, value = sm["target"]?.double
            guard (perReplica == nil) != (value == nil), let target = perReplica ?? value, target > 0 else {
                s.fail("a signal needs exactly one of target_per_replica (a total shared by replicas) or target (a value such as a latency), above zero")
                continue
            }
            if let preset, preset.kind != (perReplica != nil ? .averageValue : .value) {
                s.fail("preset \(preset.name) (\(preset.help)) reads against " + (preset.kind == .value ? "target, a value" : "target_per_replica, a total shared by replicas"))
            }
            p.signals.append(Signal(name: sm["name"]?.string ?? preset?.name ?? "signal\(p.signals.count)", query: query, expr: expr, target: target,
                                    kind: perReplica != nil ? .averageValue : .value, scalesDown: sm["scale_down"]?.bool ?? true,
                                    perPod: sm["per_pod"]?.bool ?? false))
            if p.signals.last!.perPod && perReplica == nil { s.fail("per_pod reads a value per pod against target_per_replica, as a Pods metric") }
        }
        if p.signals.isEmpty { node.fail("a replica policy needs at least one signal") }
        return p
    }
}
