import Autoscale
import Foundation
import PromQL
import Simulator
import TSDB

/// `scalewatch backtest`: replays the config's autoscaling policies over stored history (or an
/// imported OpenMetrics file, or the simulator's demand trace) with a simulated clock, each
/// next to Kubernetes' HPA with its defaults on the same signal, and resource policies against
/// the usage they would have sized.
public enum Backtest {
    /// Where the history comes from and which range to replay.
    public struct Options: Sendable {
        public var fromMs: Int64
        public var toMs: Int64
        /// The step of the simulated clock (the policies' evaluation interval unless set).
        public var stepMs: Int64? = nil

        public init(fromMs: Int64, toMs: Int64) {
            self.fromMs = fromMs
            self.toMs = toMs
        }
    }

    /// One replica policy's comparison.
    public struct ReplicaResult: Sendable {
        public var policy: String
        public var signal: String
        public var capacityPerReplica: Double
        public var startupSeconds: Double
        public var scalewatch: ReplicaReplay.Outcome
        public var hpaDefaults: ReplicaReplay.Outcome
        /// Value signals (latency and the like) depend on the replicas the history ran with; they are not replayed.
        public var skippedSignals: [String]
    }

    /// One resource policy's replay: slack and OOM risk of the targets it would have set.
    public struct ResourceResult: Sendable {
        public var policy: String
        public var container: String
        public var meanCPUSlackCores: Double
        public var meanMemorySlackBytes: Double
        public var oomRiskMinutes: Double
        public var finalCPUCores: Double
        public var finalMemoryBytes: Double
    }

    public struct Report: Sendable {
        public var fromMs: Int64
        public var toMs: Int64
        public var stepMs: Int64
        public var replicas: [ReplicaResult] = []
        public var resources: [ResourceResult] = []
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// Writes the simulator's demand trace for `[from, to]` into `storage`, as the summed vLLM series.
    public static func writeSimulatorTrace(_ config: SimulationConfig, into storage: Storage, fromMs: Int64, toMs: Int64, stepMs: Int64) throws {
        let trace = DemandTrace.generate(config: config, fromMs: fromMs, toMs: toMs, stepMs: stepMs)
        let app = storage.appender()
        for (model, points) in trace {
            let running = Labels(["__name__": "vllm:num_requests_running", "job": "vllm", "model_name": model])
            let waiting = Labels(["__name__": "vllm:num_requests_waiting", "job": "vllm", "model_name": model])
            for p in points {
                try app.append(running, p.timestampMs, p.running)
                try app.append(waiting, p.timestampMs, p.waiting)
            }
        }
        app.commit()
    }

    /// The most steps one replay takes: a year at 5 s.
    public static let maxSteps: Int64 = 6_307_200

    /// Whether the range and step make a replay (checked before any history is loaded).
    public static func check(_ options: Options, stepMs step: Int64) throws(Failure) {
        guard options.toMs > options.fromMs, step > 0 else { throw Failure(message: "backtest: --to must be after --from") }
        let count = (options.toMs - options.fromMs) / step + 1
        guard count <= maxSteps else {
            throw Failure(message: "backtest: \(count) steps of \(step / 1000)s from --from to --to; at most \(maxSteps) (a year at 5 s): shorten the range or lengthen --step")
        }
    }

    /// Replays every policy of `config`; `progress` is told the fraction done.
    public static func run(_ config: AutoscalingConfig, storage: Storage, options: Options,
                           progress: (Double) -> Void = { _ in }) throws(Failure) -> Report {
        let step = options.stepMs ?? config.intervalMs
        try check(options, stepMs: step)
        let steps = Array(stride(from: options.fromMs, through: options.toMs, by: Int(step)).map { Int64($0) })
        var report = Report(fromMs: options.fromMs, toMs: options.toMs, stepMs: step)
        let engine = Engine(querier: storage.querier())
        let total = Double(config.replicas.count + config.resources.count)
        var done = 0.0
        for p in config.replicas {
            guard let load = p.signals.first(where: { $0.kind == .averageValue }) else {
                throw Failure(message: "backtest: policy \(p.name) has no per-replica signal (target_per_replica) to replay")
            }
            let loads: [Double?]
            do { loads = try series(engine, load.expr, steps: steps) } catch {
                throw Failure(message: "backtest: policy \(p.name), signal \(load.name): \(error)")
            }
            let model = ReplicaReplay.Model(startupMs: p.leadTimeMs ?? 120_000, capacityPerReplica: p.capacityPerReplica ?? 2 * load.target,
                                            initialReplicas: max(1, p.minReplicas))
            let settings = p.settings
            let ours = ReplicaReplay.run(strategy: "scalewatch", steps: steps, loads: loads, model: model,
                                         decide: ReplicaReplay.scalewatch(settings, target: load.target, stepMs: step))
            let hpa = ReplicaReplay.run(strategy: "hpa-defaults", steps: steps, loads: loads, model: model,
                                        decide: ReplicaReplay.hpaDefaults(minReplicas: max(1, p.minReplicas), maxReplicas: p.maxReplicas, target: load.target))
            report.replicas.append(ReplicaResult(policy: p.name, signal: load.name, capacityPerReplica: model.capacityPerReplica,
                                                 startupSeconds: Double(model.startupMs) / 1000, scalewatch: ours, hpaDefaults: hpa,
                                                 skippedSignals: p.signals.filter { $0.kind == .value }.map(\.name)))
            done += 1
            progress(done / total)
        }
        for p in config.resources {
            do { report.resources += try ResourceReplay.run(p, engine: engine, steps: steps, stepMs: step) } catch {
                throw Failure(message: "backtest: resource policy \(p.name): \(error)")
            }
            done += 1
            progress(done / total)
        }
        return report
    }

    /// A signal at every step: the sum of its vector (nil where it has no value).
    static func series(_ engine: Engine, _ expr: Expr, steps: [Int64]) throws -> [Double?] {
        guard let first = steps.first, let last = steps.last else { return [] }
        let stepMs = steps.count > 1 ? steps[1] - first : 1
        var out = [Double?](repeating: nil, count: steps.count)
        switch try engine.range(expr, startMs: first, endMs: last, stepMs: stepMs) {
        case .matrix(let series):
            for s in series {
                for (t, v) in s.points {
                    let i = Int((t - first) / stepMs)
                    if i >= 0 && i < out.count { out[i] = (out[i] ?? 0) + v }
                }
            }
        case .scalar(let v): out = out.map { _ in v }
        default: throw EvaluationError("a signal must be a vector or a scalar")
        }
        return out
    }
}
