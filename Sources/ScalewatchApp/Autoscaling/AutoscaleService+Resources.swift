import Autoscale
import Metrics
import PromQL
import TSDB

extension AutoscaleService {
    /// Feeds each resource policy's samples into its histograms, exports the estimates as
    /// `scalewatch_recommendation_cpu_cores{bound}` and `_memory_bytes{bound}`, and applies the
    /// targets in `apply` mode.
    func evaluateResources(_ engine: Engine, at t: Int64) async {
        for name in resourceRunners.withLock({ $0.keys.sorted() }) {
            guard var runner = resourceRunners.withLock({ $0[name] }) else { continue }
            let p = runner.policy
            do {
                let cpu = try Self.vector(engine, p.cpu, at: t)
                let memory = try Self.vector(engine, p.memory, at: t)
                let ooms = try p.oom.map { try Self.vector(engine, $0, at: t) } ?? []
                runner.observe(cpu: cpu, memory: memory, ooms: ooms, at: t)
            } catch {
                logger.warning("autoscaling: a resource signal failed", metadata: ["policy": "\(name)", "error": "\(error)"])
                continue
            }
            resourceRunners.withLock { $0[name] = runner }
            let estimates = runner.estimates()
            guard !estimates.isEmpty else { continue }
            let app = storage.appender()
            var lines: [String] = [], containers: [String] = []
            for e in estimates {
                let base = ["policy": name, "target": p.target, "container": e.container]
                let c = e.estimate.cpuCores, m = e.estimate.memoryBytes
                for (bound, cores, bytes) in [("lower", c.lower, m.lower), ("target", c.target, m.target), ("upper", c.upper, m.upper)] {
                    append(app, base.merging(["__name__": "scalewatch_recommendation_cpu_cores", "bound": bound]) { $1 }, t, cores)
                    append(app, base.merging(["__name__": "scalewatch_recommendation_memory_bytes", "bound": bound]) { $1 }, t, bytes)
                }
                var action = p.mode == .recommend ? "recommend only" : "dry-run: would set requests"
                if p.mode == .apply {
                    action = await act(name) { await $0.setResources(of: p.target, container: e.container, cpuCores: c.target, memoryBytes: m.target) }
                }
                let line = ResourcePolicyRunner.oneLine(e, history: runner.histories[e.container]!)
                lines.append(line + " [\(action)]")
                let str = JSONString.quote
                let num = JSONString.number
                containers.append(#"{"container":\#(str(e.container)),"cpuCores":{"lower":\#(num(c.lower)),"target":\#(num(c.target)),"upper":\#(num(c.upper))},"#
                    + #""memoryBytes":{"lower":\#(num(m.lower)),"target":\#(num(m.target)),"upper":\#(num(m.upper))},"action":\#(str(action)),"#
                    + #""explanation":\#(str(line)),"details":\#(e.explanation.json)}"#)
            }
            app.commit()
            let str = JSONString.quote
            let json = #"{"policy":\#(str(name)),"kind":"resources","target":\#(str(p.target)),"mode":\#(str(p.mode.rawValue)),"#
                + #""at":\#(Double(t) / 1000),"containers":[\#(containers.joined(separator: ","))]}"#
            let record = Record(policy: name, oneLine: "\(name): " + lines.joined(separator: "; "), json: json)
            records.withLock { $0[name] = record }
        }
    }

    /// Applies through the actuator and says what happened; failures are counted.
    func act(_ policy: String, _ change: (any Actuator) async -> ActuationResult) async -> String {
        guard let actuator else {
            Counter(label: "scalewatch_autoscaler_actions_failed_total", dimensions: [("policy", policy)]).increment()
            return "failed: no actuator in this mode (the Kubernetes actuator comes in a later release)"
        }
        switch await change(actuator) {
        case .applied: return "applied"
        case .conflict(let why): return "conflict: \(why)"
        case .failed(let why):
            Counter(label: "scalewatch_autoscaler_actions_failed_total", dimensions: [("policy", policy)]).increment()
            return "failed: \(why)"
        }
    }

    func append(_ app: HeadAppender, _ labels: [String: String], _ t: Int64, _ v: Double) {
        do { try app.append(Labels(labels), t, v) } catch {
            logger.debug("autoscaling: export skipped", metadata: ["error": "\(error)"])
        }
    }

    static func vector(_ engine: Engine, _ expr: Expr, at t: Int64) throws -> [VectorSample] {
        switch try engine.instant(expr, atMs: t) {
        case .vector(let v): return v
        case .scalar(let v): return [VectorSample(labels: [:], value: v)]
        default: throw EvaluationError("a resource signal must be a vector (one series per pod) or a scalar")
        }
    }
}
