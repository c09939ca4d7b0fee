import Autoscale

extension AutoscaleService {
    /// Takes a reloaded `autoscaling` section: new policies start fresh, removed ones go (with
    /// their recommendations), and a policy that keeps its name keeps its memory — the HPA's
    /// windows and events, the forecast's season (unless the interval changed), the VPA
    /// histograms, the quota windows — under its new settings.
    public func apply(_ config: AutoscalingConfig) {
        let step = config.intervalMs
        let stepChanged = interval.exchange(step, ordering: .relaxed) != step
        states.withLock { states in
            var fresh: [String: PolicyState] = [:]
            for p in config.replicas {
                var state = PolicyState(policy: p, recommender: ReplicaRecommender(settings: p.settings), forecaster: SignalForecaster(stepMs: step))
                if let old = states[p.name] {
                    state.recommender.controller = old.recommender.controller
                    if !stepChanged { state.forecaster = old.forecaster }
                }
                fresh[p.name] = state
            }
            states = fresh
        }
        resourceRunners.withLock { runners in
            var fresh: [String: ResourcePolicyRunner] = [:]
            for p in config.resources {
                var runner = ResourcePolicyRunner(policy: p, sampleEveryMs: step)
                if let old = runners[p.name] { runner.histories = old.histories }
                fresh[p.name] = runner
            }
            runners = fresh
        }
        quotaRunners.withLock { runners in
            var fresh: [String: QuotaPolicyRunner] = [:]
            for p in config.quotas {
                var runner = QuotaPolicyRunner(policy: p)
                if var kept = runners[p.name]?.stabilizer {
                    kept.windowMs = p.stabilizationWindowMs
                    kept.maxStep = p.maxStep
                    runner.stabilizer = kept
                }
                fresh[p.name] = runner
            }
            runners = fresh
        }
        let names = Set(config.replicas.map(\.name))
        latest.withLock { $0 = $0.filter { names.contains($0.key) } }
        let others = Set(config.resources.map(\.name) + config.quotas.map(\.name))
        records.withLock { $0 = $0.filter { others.contains($0.key) } }
    }
}
