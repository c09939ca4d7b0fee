import Autoscale
import Logging
import Metrics
import PromQL
import Synchronization
import TSDB

/// Evaluates the replica policies every interval in-process: signals through the PromQL engine,
/// the recommender, the result exported as `scalewatch_recommendation_replicas{policy}` (and
/// each signal as `scalewatch_recommendation_signal{policy,signal}`), kept with its explanation
/// for `/api/v1/recommendations`, and applied through the actuator in `apply` mode.
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
        var history: [Double] = []
    }

    private let storage: Storage
    private let actuator: (any Actuator)?
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let onDecision: @Sendable (Latest) -> Void
    private let states: Mutex<[String: PolicyState]>
    private let latest = Mutex<[String: Latest]>([:])
    let intervalMs: Int64

    public init(config: AutoscalingConfig, storage: Storage, actuator: (any Actuator)?, logger: Logger,
                now: @escaping @Sendable () -> Int64, onDecision: @escaping @Sendable (Latest) -> Void = { _ in }) {
        self.storage = storage
        self.actuator = actuator
        self.logger = logger
        self.now = now
        self.onDecision = onDecision
        intervalMs = config.intervalMs
        var states: [String: PolicyState] = [:]
        for p in config.replicas {
            var s = ReplicaRecommender.Settings()
            s.minReplicas = p.minReplicas
            s.maxReplicas = p.maxReplicas
            s.burst = p.burst ? BurstMode() : nil
            s.leadTimeMs = p.leadTimeMs
            s.behavior.scaleDown.stabilizationWindowSeconds = p.scaleDownWindowSeconds
            if p.minReplicas == 0 { s.scaleToZero = ScaleToZero() }
            states[p.name] = PolicyState(policy: p, recommender: ReplicaRecommender(settings: s))
        }
        self.states = Mutex(states)
    }

    /// The latest recommendation of every policy, by name.
    public var recommendations: [Latest] { latest.withLock { Array($0.values) }.sorted { $0.policy < $1.policy } }

    /// Evaluates every policy each interval until cancelled.
    public func run() async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(intervalMs)) } catch { return }
            await evaluate(at: now())
        }
    }

    /// One evaluation of every policy at `t`.
    public func evaluate(at t: Int64) async {
        let engine = Engine(querier: storage.querier())
        for name in states.withLock({ $0.keys.sorted() }) {
            guard var state = states.withLock({ $0[name] }) else { continue }
            let p = state.policy
            var values: [Double] = []
            do {
                for s in p.signals { values.append(try Self.scalar(engine, s.expr, at: t)) }
            } catch {
                logger.warning("autoscaling: a signal failed", metadata: ["policy": "\(name)", "error": "\(error)"])
                continue
            }
            let current = await actuator?.currentReplicas(of: p.target) ?? latest.withLock { $0[name]?.replicas } ?? p.minReplicas
            state.history.append(values.first ?? 0)
            if state.history.count > 5_760 { state.history.removeFirst(state.history.count - 5_760) }
            var input = ReplicaRecommender.Input(signals: zip(p.signals, values).map { ($0.name, $1, $0.target) }, currentReplicas: current, readyReplicas: current)
            input.kinds = p.signals.map(\.kind)
            input.upOnly = p.signals.map { !$0.scalesDown }
            input.history = state.history
            input.historyStepMs = intervalMs
            let (replicas, explanation) = state.recommender.recommend(at: t, input)
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
            export(record, signals: zip(p.signals.map(\.name), values).map { ($0, $1) }, at: t)
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

    private func export(_ r: Latest, signals: [(String, Double)], at t: Int64) {
        let app = storage.appender()
        do {
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
