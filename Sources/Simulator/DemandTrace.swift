/// The simulated models' load over a time range, as their vLLM servers would report it summed
/// over replicas (`vllm:num_requests_running` and `_waiting`), served by enough replicas that
/// the trace is the demand itself: a ready trace for replaying autoscaling policies.
public enum DemandTrace {
    /// One model's load at one step.
    public struct Point: Sendable, Equatable {
        public var timestampMs: Int64
        public var running: Double
        public var waiting: Double
    }

    /// Every vLLM model's points from `fromMs` to `toMs` every `stepMs`, each model served by
    /// `replicas` replicas (the default serves every simulated burst without queueing).
    public static func generate(config: SimulationConfig, fromMs: Int64, toMs: Int64, stepMs: Int64, replicas: Int = 16) -> [String: [Point]] {
        var rng = SimRandom(seed: config.seed)
        var models = config.models.filter { $0.kind == .vllm }.map { spec -> ModelServerSim in
            var s = spec
            s.replicas = replicas
            var m = ModelServerSim(spec: s, surges: config.surges.filter { $0.model == spec.name })
            m.countersEnabled = false
            return m
        }
        var out: [String: [Point]] = [:]
        var t = Double(fromMs / 1000)
        var next = fromMs
        while next <= toMs {
            while t * 1000 < Double(next) {
                for i in models.indices { models[i].step(t: t, dt: 1, rng: &rng) }
                t += 1
            }
            for m in models {
                out[m.spec.name, default: []].append(Point(timestampMs: next, running: m.running.rounded(), waiting: m.backlog.rounded()))
            }
            next += stepMs
        }
        return out
    }
}
