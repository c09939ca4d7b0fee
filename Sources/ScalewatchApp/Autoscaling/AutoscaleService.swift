import Autoscale
import Logging
import Metrics
import PromQL
import Synchronization
import TSDB

/// Evaluates the autoscaling policies every interval in-process: signals through the PromQL
/// engine, the recommenders, the results exported as series (`scalewatch_recommendation_replicas`,
/// `_signal`, `_cpu_cores`, `_memory_bytes`, `_quota`), kept with their explanations for
/// `/api/v1/recommendations`, applied through the actuator in `apply` mode, and the recommenders'
/// memory checkpointed next to the store so a restart keeps it.
public final class AutoscaleService: Sendable {
    /// The latest recommendation of a policy.
    public struct Latest: Sendable {
        public var policy: String
        public var target: String
        public var mode: String
        public var currentReplicas: Int
        public var replicas: Int
        public var explanation: Explanation
        public var atMs: Int64
        public var applied: String

        /// As `/api/v1/recommendations` shows it.
        public var json: String {
            let str = JSONString.quote
            return #"{"policy":\#(str(policy)),"target":\#(str(target)),"mode":\#(str(mode)),"currentReplicas":\#(currentReplicas),"#
                + #""replicas":\#(replicas),"at":\#(Double(atMs) / 1000),"action":\#(str(applied)),"explanation":\#(str(explanation.oneLine(unit: "replicas"))),"#
                + #""details":\#(explanation.json)}"#
        }

        /// `llama-replicas: 3 replicas: … (applied 2 → 3)`.
        public var oneLine: String { "\(policy): \(explanation.oneLine(unit: "replicas")) [\(applied)]" }
    }

    struct PolicyState: Sendable {
        var policy: AutoscalingConfig.ReplicaPolicy
        var recommender: ReplicaRecommender
        var forecaster: SignalForecaster
        var forecastError = ForecastError()
    }

    /// A resource or quota policy's latest recommendation as the API and the demo show it.
    public struct Record: Sendable {
        public var policy: String
        public var oneLine: String
        public var json: String
    }

    let storage: Storage
    let actuator: (any Actuator)?
    let logger: Logger
    private let now: @Sendable () -> Int64
    private let onDecision: @Sendable (Latest) -> Void
    let onAction: @Sendable (String) -> Void
    let states: Mutex<[String: PolicyState]>
    let latest = Mutex<[String: Latest]>([:])
    let resourceRunners: Mutex<[String: ResourcePolicyRunner]>
    let quotaRunners: Mutex<[String: QuotaPolicyRunner]>
    let records = Mutex<[String: Record]>([:])
    let interval: Atomic<Int64>
    var intervalMs: Int64 { interval.load(ordering: .relaxed) }
    private let evaluations = Mutex(0)
    /// Where the checkpoint lives: next to the store's files (nil for an in-memory store).
    let checkpointPath: String?

    public init(config: AutoscalingConfig, storage: Storage, actuator: (any Actuator)?, logger: Logger,
                now: @escaping @Sendable () -> Int64, onDecision: @escaping @Sendable (Latest) -> Void = { _ in },
                onAction: @escaping @Sendable (String) -> Void = { _ in }) {
        self.storage = storage
        self.actuator = actuator
        self.logger = logger
        self.now = now
        self.onDecision = onDecision
        self.onAction = onAction
        interval = Atomic(config.intervalMs)
        checkpointPath = storage.options.path.map { $0 + "/autoscaling-checkpoint.json" }
        resourceRunners = Mutex([:])
        quotaRunners = Mutex([:])
        states = Mutex([:])
        apply(config)
        restoreCheckpoint()
    }

    /// The latest recommendation of every replica policy, by name.
    public var recommendations: [Latest] { latest.withLock { Array($0.values) }.sorted { $0.policy < $1.policy } }

    /// The latest recommendation of every policy as JSON, by policy name.
    public var allRecommendations: [(policy: String, json: String)] {
        let replicas = recommendations.map { ($0.policy, $0.json) }
        let others = records.withLock { Array($0.values) }.map { ($0.policy, $0.json) }
        return (replicas + others).sorted { $0.0 < $1.0 }
    }

    /// The latest resource and quota recommendations.
    public var otherRecommendations: [Record] { records.withLock { Array($0.values) }.sorted { $0.policy < $1.policy } }

    /// Evaluates every policy each interval until cancelled, then writes the checkpoint.
    public func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(intervalMs)) } catch { break }
            await evaluate(at: now())
        }
        writeCheckpoint()
    }

    /// One evaluation of every policy at `t`.
    public func evaluate(at t: Int64) async {
        let engine = Engine(querier: storage.querier())
        await evaluateReplicas(engine, at: t)
        await evaluateResources(engine, at: t)
        await evaluateQuotas(engine, at: t)
        // Every 20 evaluations (5 minutes at 15 s), the recommenders' memory goes to disk.
        if evaluations.withLock({ $0 += 1; return $0 % 20 == 0 }) { writeCheckpoint() }
    }

    func evaluateReplicas(_ engine: Engine, at t: Int64) async {
        for name in states.withLock({ $0.keys.sorted() }) {
            guard var state = states.withLock({ $0[name] }) else { continue }
            let p = state.policy
            var values: [Double] = []
            var podSamples: [Int: [PodSample]] = [:]
            var pods: [(name: String, ready: Bool)]? = nil
            do {
                if let expr = p.pods {
                    pods = try Self.vector(engine, expr, at: t).compactMap { s in s.labels["pod"].map { ($0, s.value > 0) } }.sorted { $0.name < $1.name }
                }
                for (i, s) in p.signals.enumerated() {
                    guard s.perPod else {
                        values.append(try Self.scalar(engine, s.expr, at: t))
                        continue
                    }
                    var byPod: [String: Double] = [:]
                    for sample in try Self.vector(engine, s.expr, at: t) {
                        if let pod = sample.labels["pod"] { byPod[pod, default: 0] += sample.value }
                    }
                    // Pods without a sample count as missing; without a pods query, every pod with one is ready.
                    let workload = pods ?? byPod.keys.sorted().map { ($0, true) }
                    podSamples[i] = workload.map { PodSample($0.name, value: byPod[$0.name], ready: $0.ready) }
                    values.append(workload.reduce(0) { $0 + (byPod[$1.name] ?? 0) })
                }
            } catch {
                logger.warning("autoscaling: a signal failed", metadata: ["policy": "\(name)", "error": "\(error)"])
                continue
            }
            let current = await actuator?.currentReplicas(of: p.target) ?? pods?.count ?? latest.withLock { $0[name]?.replicas } ?? p.minReplicas
            let ready = pods.map { $0.filter(\.ready).count } ?? current
            state.forecaster.add(values.first ?? 0)
            state.forecastError.observe(values.first ?? 0, at: t)
            var input = ReplicaRecommender.Input(signals: zip(p.signals, values).map { ($0.name, $1, $0.target) }, currentReplicas: current, readyReplicas: ready)
            input.pods = podSamples
            input.kinds = p.signals.map(\.kind)
            input.upOnly = p.signals.map { !$0.scalesDown }
            input.forecaster = state.forecaster
            let (replicas, reactive) = state.recommender.recommend(at: t, input)
            var explanation = reactive
            var forecasts: [(String, Double)] = []
            if let lead = p.leadTimeMs, let first = p.signals.first, let predicted = explanation.inputs["forecast_\(first.name)"] {
                state.forecastError.forecast(predicted, dueMs: t + lead)
                forecasts.append(("scalewatch_recommendation_forecast", predicted))
                if let error = state.forecastError.meanAbsoluteError {
                    explanation.inputs["forecast_error_\(first.name)"] = error
                    forecasts.append(("scalewatch_recommendation_forecast_error", error))
                }
            }
            states.withLock { $0[name] = state }
            var applied = p.mode == .recommend ? "recommend only" : "no change"
            if p.mode == .dryRun && replicas != current { applied = "dry-run: would set \(current) → \(replicas)" }
            if p.mode == .apply && replicas != current {
                if let actuator {
                    switch await actuator.setReplicas(of: p.target, to: replicas) {
                    case .applied: applied = "applied \(current) → \(replicas)"
                    case .conflict(let why): applied = "conflict: \(why)"
                    case .failed(let why):
                        applied = "failed: \(why)"
                        Counter(label: "scalewatch_autoscaler_actions_failed_total", dimensions: [("policy", name)]).increment()
                    }
                } else {
                    applied = "failed: no actuator in this mode (the Kubernetes actuator comes in a later release)"
                    Counter(label: "scalewatch_autoscaler_actions_failed_total", dimensions: [("policy", name)]).increment()
                }
            }
            let record = Latest(policy: name, target: p.target, mode: p.mode.rawValue, currentReplicas: current, replicas: replicas,
                                explanation: explanation, atMs: t, applied: applied)
            latest.withLock { $0[name] = record }
            export(record, signals: zip(p.signals.map(\.name), values).map { ($0, $1) }, forecasts: forecasts.map { ($0, p.signals[0].name, $1) }, at: t)
            onDecision(record)
        }
    }

    static func scalar(_ engine: Engine, _ expr: Expr, at t: Int64) throws -> Double {
        switch try engine.instant(expr, atMs: t) {
        case .scalar(let v): return v
        case .vector(let v): return v.reduce(0) { $0 + $1.value }
        default: throw EvaluationError("a signal must be a scalar or a vector")
        }
    }

    private func export(_ r: Latest, signals: [(String, Double)], forecasts: [(name: String, signal: String, value: Double)], at t: Int64) {
        let app = storage.appender()
        do {
            for f in forecasts {
                try app.append(Labels(["__name__": f.name, "policy": r.policy, "signal": f.signal]), t, f.value)
            }
            try app.append(Labels(["__name__": "scalewatch_recommendation_replicas", "policy": r.policy, "target": r.target]), t, Double(r.replicas))
            for (signal, value) in signals {
                try app.append(Labels(["__name__": "scalewatch_recommendation_signal", "policy": r.policy, "signal": signal]), t, value)
            }
        } catch {
            logger.debug("autoscaling: export skipped", metadata: ["error": "\(error)"])
        }
        app.commit()
    }
}
