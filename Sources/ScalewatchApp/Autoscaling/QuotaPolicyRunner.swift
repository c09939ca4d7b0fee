import Autoscale
import PromQL
import TSDB

/// A quota policy at work: reads the cohort's queues from Kueue's metrics (nominal quota,
/// usage and reservation, pending requests less what quota cannot help, status, limits,
/// admission waits), shares the capacity among them, and holds the change back by the
/// stabilization window and maximum step.
struct QuotaPolicyRunner: Sendable {
    /// One evaluation's outcome.
    struct Outcome: Sendable {
        var capacity: Double
        var queues: [QuotaShare.Queue]
        var current: [String: Int]
        var steps: [String: QuotaStabilizer.Step]
        var floorsExceedCapacity: Bool
        var proposals: [KueueQuota.ResourceQuota]
        var explanations: [String: Explanation]
    }

    let policy: AutoscalingConfig.QuotaPolicy
    var stabilizer: QuotaStabilizer

    init(policy: AutoscalingConfig.QuotaPolicy) {
        self.policy = policy
        stabilizer = QuotaStabilizer(windowMs: policy.stabilizationWindowMs, maxStep: policy.maxStep)
    }

    /// Underlying causes of unadmitted workloads that more quota would admit; the others
    /// (ExceedsMaxQuota, NoMatchingFlavor, admission checks, misconfiguration) are left out.
    static let quotaCauses: Set<String> = ["WaitingForQuota", "InsufficientQuota"]

    /// Leader or standalone Kueue replicas only (and series without the label, before 0.11).
    static let notFollower = #"replica_role!="follower""#

    mutating func evaluate(_ engine: Engine, at t: Int64) throws -> Outcome {
        let p = policy
        let str = JSONString.quote
        let scope = "flavor=\(str(p.flavor)),resource=\(str(p.resource)),\(Self.notFollower)"
        func vector(_ q: String) throws -> [VectorSample] {
            if case .vector(let v) = try engine.instant(try Parser.parse(q), atMs: t) { return v }
            return []
        }
        func byQueue(_ samples: [VectorSample]) -> [String: Double] {
            var out: [String: Double] = [:]
            // A value that is not a number counts as absent.
            for s in samples where s.value.isFinite { if let q = s.labels["cluster_queue"] { out[q, default: 0] += s.value } }
            return out
        }
        let capacity: Double
        if let c = p.capacity { capacity = c } else {
            capacity = try AutoscaleService.scalar(engine, p.capacityExpr!, at: t)
        }
        guard capacity.isFinite, capacity >= 0, capacity < 1e15 else {
            throw EvaluationError("capacity_query gave \(capacity), not a capacity")
        }
        let version = try vector("kueue_build_info{\(Self.notFollower)}").first?.labels["git_version"]
        let nominal = byQueue(try vector("kueue_cluster_queue_nominal_quota{cohort=\(str(p.cohort)),\(scope)}"))
        let usage = byQueue(try vector("kueue_cluster_queue_resource_usage{\(scope)}"))
        let reservation = byQueue(try vector("kueue_cluster_queue_resource_reservation{\(scope)}"))
        let pending = byQueue(try vector("kueue_cluster_queue_resource_pending{resource=\(str(p.resource)),\(Self.notFollower)}"))
        // Pending requests have no flavor yet: shared evenly among the flavors a queue has quota in.
        let flavors = byQueue(try vector("count by (cluster_queue) (kueue_cluster_queue_nominal_quota{resource=\(str(p.resource)),\(Self.notFollower)})"))
        let unadmitted = try vector("sum by (cluster_queue, underlying_cause) (kueue_unadmitted_workloads{\(Self.notFollower)})")
        let active = byQueue(try vector(#"kueue_cluster_queue_status{status="active",\#(Self.notFollower)}"#))
        let lending = try vector("kueue_cluster_queue_lending_limit{\(scope)}")
        let borrowing = try vector("kueue_cluster_queue_borrowing_limit{\(scope)}")
        var waits: [String: Double] = [:]
        if p.admissionWaitSLOSeconds != nil {
            waits = byQueue(try vector("histogram_quantile(0.95, sum by (cluster_queue, le) (rate(kueue_admission_wait_time_seconds_bucket{\(Self.notFollower)}[30m])))"))
        }
        var names = Set(nominal.keys)
        for q in p.queues { names.insert(q.name) }
        var queues: [QuotaShare.Queue] = []
        var explanations: [String: Explanation] = [:]
        for name in names.sorted() {
            let configured = p.queues.first { $0.name == name } ?? .init(name: name)
            var e = Explanation()
            let inUse = max(usage[name] ?? 0, reservation[name] ?? 0)
            let causes = unadmitted.filter { $0.labels["cluster_queue"] == name }
            let stuck = causes.reduce(0.0) { $0 + $1.value }
            let helpable = causes.filter { Self.quotaCauses.contains($0.labels["underlying_cause"] ?? "") }.reduce(0.0) { $0 + $1.value }
            let helpableShare = stuck > 0 ? helpable / stuck : 1
            let wanted = (pending[name] ?? 0) / max(1, flavors[name] ?? 1) * helpableShare
            var weight = configured.weight
            if let slo = p.admissionWaitSLOSeconds, let wait = waits[name], wait.isFinite, wait > slo { weight *= wait / slo }
            let isActive = (active[name] ?? 1) > 0
            e.inputs["nominal_quota"] = nominal[name] ?? 0
            e.inputs["in_use"] = inUse
            e.inputs["pending"] = pending[name] ?? 0
            e.inputs["pending_quota_can_help"] = wanted
            e.inputs["weight"] = weight
            if let wait = waits[name], wait.isFinite { e.inputs["admission_wait_p95_seconds"] = wait }
            if !isActive { e.step("inactive", 0, "the ClusterQueue is not active: keeps its floor, takes no share") }
            explanations[name] = e
            queues.append(QuotaShare.Queue(name: name, usage: inUse, pending: wanted, minimum: configured.minimum, maximum: configured.maximum,
                                           weight: weight, active: isActive))
        }
        let share = QuotaShare.share(capacity: Int(capacity.rounded(.down)), queues: queues)
        let current = nominal.mapValues { Int($0.rounded()) }
        var steps: [String: QuotaStabilizer.Step] = [:]
        if share.floorsExceedCapacity {
            for q in queues { steps[q.name] = .unchanged(current[q.name] ?? 0) }
        } else {
            steps = stabilizer.apply(at: t, proposed: share.quota, current: current, capacity: Int(capacity.rounded(.down)))
        }
        var proposals: [KueueQuota.ResourceQuota] = []
        for q in queues {
            let s = steps[q.name]!
            var e = explanations[q.name]!
            e.step("share", Double(s.proposed), share.floorsExceedCapacity ? "floors exceed the capacity \(capacity): no change" : "by demand and weight within \(capacity)")
            e.step("stabilized", Double(s.stabilized), "falls only to the highest proposal of \(p.stabilizationWindowMs / 60_000)m")
            if let maxStep = p.maxStep { e.step("max_step", Double(s.stepped), "at most \(maxStep) per change") }
            if s.final != s.stepped { e.step("capacity", Double(s.final), "rises trimmed to keep the cohort within \(capacity)") }
            e.final = Double(s.final)
            explanations[q.name] = e
            let limitFor = { (samples: [VectorSample]) in
                KueueQuota.limit(samples.first { $0.labels["cluster_queue"] == q.name }?.value, kueueVersion: version)
            }
            proposals.append(KueueQuota.ResourceQuota(clusterQueue: q.name, flavor: p.flavor, resource: p.resource, nominalQuota: Double(s.final),
                                                      borrowingLimit: limitFor(borrowing), lendingLimit: limitFor(lending)))
        }
        return Outcome(capacity: capacity, queues: queues, current: current, steps: steps, floorsExceedCapacity: share.floorsExceedCapacity,
                       proposals: proposals, explanations: explanations)
    }
}
