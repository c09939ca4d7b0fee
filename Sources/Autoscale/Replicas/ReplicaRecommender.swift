/// A replica policy's recommender: the HPA core on the policy's signals, then burst mode,
/// the forecast over the start-up lead time (never below the reactive result), scale to zero,
/// and the HPA's stabilization, policies and bounds — each step recorded in the explanation.
public struct ReplicaRecommender: Sendable {
    public struct Settings: Sendable {
        public var minReplicas = 1
        public var maxReplicas = 10
        public var behavior = HPABehavior.kubernetesDefault
        public var tolerance = HPATolerance()
        public var burst: BurstMode? = BurstMode()
        /// Forecast the first signal this far ahead (a new replica's start-up time); nil: reactive only.
        public var leadTimeMs: Int64? = nil
        public var scaleToZero: ScaleToZero? = nil
        public init() {}
    }

    /// How a signal's target reads, as the HPA's metric targets do.
    public enum TargetKind: String, Sendable {
        /// The signal is a total over replicas; the target is per replica (`AverageValue`).
        case averageValue = "AverageValue"
        /// The signal is one value (a latency, a ratio); replicas scale with signal / target (`Value`).
        case value = "Value"
    }

    /// One evaluation's view of the workload: each signal's current value and target (per
    /// replica for `averageValue`), its recent history for the forecast, and the replicas.
    public struct Input: Sendable {
        public var signals: [(name: String, value: Double, targetPerReplica: Double)]
        /// The kind of each signal's target (AverageValue when absent).
        public var kinds: [TargetKind] = []
        /// Signals that only ever ask for more replicas (an SLO guard such as a latency): below
        /// their target they do not vote, so the load signals decide scale-down.
        public var upOnly: [Bool] = []
        /// The signals over a shorter (panic) window for burst mode; this evaluation's values when nil.
        public var panicSignals: [Double]? = nil
        public var history: [Double] = []
        public var historyStepMs: Int64 = 15_000
        /// The first signal's forecaster, already fed this evaluation's value (instead of `history`).
        public var forecaster: SignalForecaster? = nil
        /// Per-pod samples of `averageValue` signals, by signal index: the HPA's Pods metric, with
        /// its rules for pods without a sample and pods that are not ready.
        public var pods: [Int: [PodSample]] = [:]
        public var currentReplicas: Int
        public var readyReplicas: Int

        public init(signals: [(name: String, value: Double, targetPerReplica: Double)], currentReplicas: Int, readyReplicas: Int) {
            self.signals = signals
            self.currentReplicas = currentReplicas
            self.readyReplicas = readyReplicas
        }
    }

    public private(set) var settings: Settings
    private var hpa: HPAController

    /// The HPA controller's memory (recommendations and scale events): what a checkpoint keeps.
    public var controller: HPAController {
        get { hpa }
        set {
            // Bounds and behavior stay the policy's; only the memory is restored.
            var restored = newValue
            restored.minReplicas = hpa.minReplicas
            restored.maxReplicas = hpa.maxReplicas
            restored.behavior = hpa.behavior
            restored.tolerance = hpa.tolerance
            hpa = restored
        }
    }

    public init(settings: Settings) {
        self.settings = settings
        hpa = HPAController(minReplicas: settings.minReplicas, maxReplicas: settings.maxReplicas, behavior: settings.behavior, tolerance: settings.tolerance)
    }

    /// The recommendation at `now` and how it came about.
    public mutating func recommend(at now: Int64, _ input: Input) -> (replicas: Int, explanation: Explanation) {
        var e = Explanation()
        for s in input.signals { e.inputs[s.name] = s.value }
        e.inputs["replicas"] = Double(input.currentReplicas)
        e.inputs["ready"] = Double(input.readyReplicas)
        let current = input.currentReplicas
        // The reactive proposal reads per-pod samples where there are some; burst and forecast
        // values are totals.
        func raw(_ values: [Double], reactive: Bool = false) -> Int {
            let metrics = zip(input.signals, values).enumerated().compactMap { i, pair -> HPAMetric? in
                let kind = i < input.kinds.count ? input.kinds[i] : .averageValue
                let target = pair.0.targetPerReplica
                if i < input.upOnly.count, input.upOnly[i], pair.1 <= (kind == .value ? target : target * Double(max(1, current))) {
                    return nil
                }
                if reactive, kind == .averageValue, let pods = input.pods[i] { return .averageValue(pods: pods, target: target) }
                return kind == .value ? .value(current: pair.1, target: target) : .externalAverageValue(total: pair.1, target: target)
            }
            guard !metrics.isEmpty else { return current }
            var probe = HPAController(minReplicas: 0, maxReplicas: Int.max / 2, behavior: settings.behavior, tolerance: settings.tolerance)
            return probe.decide(at: now, currentReplicas: max(1, current), metrics: metrics).proposed ?? current
        }
        var desired = raw(input.signals.map(\.value), reactive: true)
        e.step("hpa", Double(desired), "ceil(signal / target per replica), tolerance \(settings.tolerance.scaleUp)")
        // Burst mode reads the short window's values, or this evaluation's when the caller has no
        // shorter window: a burst is the current load asking for twice the ready replicas.
        if var burst = settings.burst {
            let panic = input.panicSignals ?? input.signals.map(\.value)
            let panicDesired = raw(panic)
            desired = burst.decide(at: now, readyReplicas: input.readyReplicas, stableDesired: desired, panicDesired: panicDesired)
            settings.burst = burst
            e.step("burst", Double(desired), burst.inBurst ? "burst: short window asks for \(panicDesired)" : "calm")
        }
        if let lead = settings.leadTimeMs, let first = input.signals.first, input.forecaster != nil || !input.history.isEmpty {
            let f = input.forecaster?.forecast(horizonMs: lead) ?? Forecaster.forecast(input.history, stepMs: input.historyStepMs, horizonMs: lead)
            // Load signals are never negative: a falling trend is cut at zero.
            let value = max(0, f.value)
            let predicted = raw([value] + input.signals.dropFirst().map(\.value))
            e.inputs["forecast_\(first.name)"] = value
            if predicted > desired { desired = predicted }
            e.step("forecast", Double(desired), "\(f.method.rawValue) \(lead / 1000)s ahead asks for \(predicted); never below the reactive result")
        }
        if var zero = settings.scaleToZero, let first = input.signals.first {
            desired = zero.apply(at: now, signal: first.value, desired: desired, minReplicas: settings.minReplicas == 0 ? 1 : settings.minReplicas)
            settings.scaleToZero = zero
            e.step("scale-to-zero", Double(desired), desired == 0 ? "idle past the cooldown" : "active")
            if desired == 0 {
                e.final = 0
                return (0, e)
            }
        }
        // The HPA's stabilization, policies and bounds on the combined proposal.
        let decision = hpa.decide(at: now, currentReplicas: max(1, current), proposed: desired)
        e.step("stabilized", Double(decision.stabilized), "scale-down window \(settings.behavior.scaleDown.stabilizationWindowSeconds)s")
        if settings.burst?.inBurst == true, desired > decision.replicas, settings.behavior.scaleUp.select != .disabled {
            // A burst scales up within one evaluation: the rate policies do not hold it back.
            let replicas = min(desired, settings.maxReplicas)
            e.step("policy", Double(replicas), "burst: rate policies lifted, bounded by maxReplicas")
            e.final = Double(replicas)
            return (replicas, e)
        }
        e.step("policy", Double(decision.replicas), decision.reason)
        e.final = Double(decision.replicas)
        return (decision.replicas, e)
    }
}
