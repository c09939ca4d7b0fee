import Autoscale
import PromQL
import TSDB

extension AutoscaleService {
    /// Shares each quota policy's capacity, exports `scalewatch_recommendation_quota`, keeps the
    /// proposed ClusterQueues (`kueue.x-k8s.io/v1beta2` resourceGroups) for the API, and sets the
    /// nominal quotas that change in `apply` mode.
    func evaluateQuotas(_ engine: Engine, at t: Int64) async {
        for name in quotaRunners.withLock({ $0.keys.sorted() }) {
            guard var runner = quotaRunners.withLock({ $0[name] }) else { continue }
            let p = runner.policy
            let outcome: QuotaPolicyRunner.Outcome
            do { outcome = try runner.evaluate(engine, at: t) } catch {
                logger.warning("autoscaling: a quota signal failed", metadata: ["policy": "\(name)", "error": "\(error)"])
                continue
            }
            quotaRunners.withLock { $0[name] = runner }
            guard !outcome.queues.isEmpty else { continue }
            let app = storage.appender()
            var lines: [String] = [], queues: [String] = []
            let str = JSONString.quote
            for q in outcome.queues {
                let step = outcome.steps[q.name]!
                let current = outcome.current[q.name]
                append(app, ["__name__": "scalewatch_recommendation_quota", "policy": name, "cluster_queue": q.name,
                             "flavor": p.flavor, "resource": p.resource], t, Double(step.final))
                var action = p.mode == .recommend ? "recommend only" : "no change"
                if step.final != current {
                    if p.mode == .dryRun { action = "dry-run: would set \(current.map(String.init) ?? "unset") → \(step.final)" }
                    if p.mode == .apply {
                        action = await act(name) { await $0.setNominalQuota(clusterQueue: q.name, flavor: p.flavor, resource: p.resource, to: Double(step.final)) }
                        if action == "applied" { action = "applied \(current.map(String.init) ?? "unset") → \(step.final)" }
                    }
                }
                let e = outcome.explanations[q.name]!
                let line = "\(q.name) " + e.oneLine(unit: p.resource)
                if step.final != current, p.mode != .recommend { onAction("QUOTA \(name): \(q.name) \(p.flavor)/\(p.resource) \(action): \(line)") }
                lines.append(line + " [\(action)]")
                queues.append(#"{"clusterQueue":\#(str(q.name)),"current":\#(current.map(String.init) ?? "null"),"quota":\#(step.final),"#
                    + #""action":\#(str(action)),"explanation":\#(str(line)),"details":\#(e.json)}"#)
            }
            app.commit()
            let objects = KueueQuota.clusterQueuesJSON(outcome.proposals).map(\.json)
            let fields = [
                #""policy":\#(str(name))"#, #""kind":"quota""#, #""cohort":\#(str(p.cohort))"#, #""flavor":\#(str(p.flavor))"#,
                #""resource":\#(str(p.resource))"#, #""mode":\#(str(p.mode.rawValue))"#, #""at":\#(Double(t) / 1000)"#,
                #""capacity":\#(JSONString.number(outcome.capacity))"#, #""floorsExceedCapacity":\#(outcome.floorsExceedCapacity)"#,
                #""queues":[\#(queues.joined(separator: ","))]"#, #""clusterQueues":[\#(objects.joined(separator: ","))]"#,
            ]
            let json = "{" + fields.joined(separator: ",") + "}"
            records.withLock { $0[name] = Record(policy: name, oneLine: "\(name): " + lines.joined(separator: "; "), json: json) }
        }
    }
}
