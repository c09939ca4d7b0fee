import Autoscale

/// One replica policy replayed over a load trace with a simulated clock, and a simple model of
/// the workload fed back: the load (the policy's first per-replica signal, a total such as
/// requests in flight) does not depend on the replicas; new replicas serve only after the
/// start-up time; and the SLO is breached while the load per ready replica is above what a
/// replica serves (`capacityPerReplica`, twice the target unless configured).
public struct ReplicaReplay: Sendable {
    /// The workload model of one policy.
    public struct Model: Sendable {
        public var startupMs: Int64
        public var capacityPerReplica: Double
        public var initialReplicas: Int

        public init(startupMs: Int64, capacityPerReplica: Double, initialReplicas: Int) {
            self.startupMs = startupMs
            self.capacityPerReplica = capacityPerReplica
            self.initialReplicas = initialReplicas
        }
    }

    /// What one strategy did over the trace.
    public struct Outcome: Sendable, Equatable {
        public var strategy: String
        public var replicaHours = 0.0
        public var breachMinutes = 0.0
        public var actions = 0
        public var peakReplicas = 0
    }

    /// A strategy: given the time, the load and the replicas (all, ready), the replicas it wants.
    public typealias Decide = (_ t: Int64, _ load: Double, _ replicas: Int, _ ready: Int) -> Int

    /// Replays `decide` over `loads` (one per step; nil where the history has a gap).
    public static func run(strategy: String, steps: [Int64], loads: [Double?], model: Model, decide: Decide) -> Outcome {
        var out = Outcome(strategy: strategy)
        guard steps.count >= 2 else { return out }
        let stepMs = steps[1] - steps[0]
        var replicas = model.initialReplicas
        // Replicas that are starting, with the time they become ready.
        var starting: [Int64] = []
        var ready = replicas
        for (i, t) in steps.enumerated() {
            ready += starting.filter { $0 <= t }.count
            starting.removeAll { $0 <= t }
            guard let load = loads[i] else {
                out.replicaHours += Double(replicas) * Double(stepMs) / 3_600_000
                continue
            }
            let want = max(0, decide(t, load, replicas, ready))
            if want != replicas {
                out.actions += 1
                if want > replicas {
                    starting.append(contentsOf: Array(repeating: t + model.startupMs, count: want - replicas))
                } else {
                    // Scale-down removes starting replicas first, then ready ones.
                    var remove = replicas - want
                    while remove > 0, !starting.isEmpty { starting.removeLast(); remove -= 1 }
                    ready -= remove
                }
                replicas = want
            }
            out.peakReplicas = max(out.peakReplicas, replicas)
            out.replicaHours += Double(replicas) * Double(stepMs) / 3_600_000
            if load > 0, load / Double(max(ready, 0)) > model.capacityPerReplica || (ready == 0 && load > 0) {
                out.breachMinutes += Double(stepMs) / 60_000
            }
        }
        return out
    }

    /// Scalewatch's recommender with the policy's settings, on the replayable (per-replica) signals.
    static func scalewatch(_ settings: ReplicaRecommender.Settings, target: Double, stepMs: Int64) -> Decide {
        var recommender = ReplicaRecommender(settings: settings)
        var forecaster = SignalForecaster(stepMs: stepMs)
        return { t, load, replicas, ready in
            forecaster.add(load)
            var input = ReplicaRecommender.Input(signals: [("load", load, target)], currentReplicas: replicas, readyReplicas: ready)
            input.forecaster = forecaster
            return recommender.recommend(at: t, input).replicas
        }
    }

    /// Kubernetes' HPA with its defaults on the same signal as an External AverageValue metric.
    static func hpaDefaults(minReplicas: Int, maxReplicas: Int, target: Double) -> Decide {
        var hpa = HPAController(minReplicas: minReplicas, maxReplicas: maxReplicas)
        return { t, load, replicas, _ in
            hpa.decide(at: t, currentReplicas: max(1, replicas), metrics: [.externalAverageValue(total: load, target: target)]).replicas
        }
    }
}
