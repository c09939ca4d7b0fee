#if canImport(Glibc)
import Glibc
#endif

/// The HPA controller's decision for one target over time (`horizontal.go`): the largest of the
/// metrics' proposals, stabilized over the behavior's windows, limited by its policies given the
/// scale events of their periods, and kept within min and max replicas. Its memory (past
/// recommendations and scale events) is what a checkpoint keeps.
public struct HPAController: Sendable, Codable {
    public var minReplicas: Int
    public var maxReplicas: Int
    public var behavior: HPABehavior
    public var tolerance: HPATolerance

    struct Recommendation: Sendable, Equatable, Codable { var replicas: Int; var atMs: Int64 }
    struct ScaleEvent: Sendable, Equatable, Codable { var change: Int; var atMs: Int64 }
    private(set) var recommendations: [Recommendation] = []
    private(set) var scaleUpEvents: [ScaleEvent] = []
    private(set) var scaleDownEvents: [ScaleEvent] = []

    /// One decision and how it came about.
    public struct Decision: Sendable, Equatable {
        public var replicas: Int
        /// The largest proposal of the metrics (nil when none gave one).
        public var proposed: Int?
        public var stabilized: Int
        /// Why the final number is what it is, in Kubernetes' condition reasons.
        public var reason: String
    }

    public init(minReplicas: Int = 1, maxReplicas: Int, behavior: HPABehavior = .kubernetesDefault, tolerance: HPATolerance = HPATolerance()) {
        self.minReplicas = minReplicas
        self.maxReplicas = maxReplicas
        self.behavior = behavior
        self.tolerance = tolerance
    }

    /// Decides at `nowMs` for `currentReplicas` given the metrics; records the scale event.
    public mutating func decide(at nowMs: Int64, currentReplicas: Int, metrics: [HPAMetric], readyPods: Int? = nil) -> Decision {
        // Without metrics the bounds alone decide, as the controller does.
        if currentReplicas == 0 && minReplicas != 0 {
            return Decision(replicas: 0, proposed: nil, stabilized: 0, reason: "ScalingDisabled")
        }
        var proposals: [Int] = []
        for m in metrics {
            // A metric that cannot be computed gives no proposal, as in the controller.
            if let r = try? ReplicaCalculator.replicas(for: m, currentReplicas: currentReplicas, readyPods: readyPods, tolerance: tolerance) {
                proposals.append(r)
            }
        }
        return decide(at: nowMs, currentReplicas: currentReplicas, proposed: proposals.max())
    }

    /// Decides at `nowMs` for `currentReplicas` given a proposal already computed (the largest
    /// of the metrics' replica counts, or a recommender's); records the scale event.
    public mutating func decide(at nowMs: Int64, currentReplicas: Int, proposed: Int?) -> Decision {
        if currentReplicas == 0 && minReplicas != 0 {
            return Decision(replicas: 0, proposed: nil, stabilized: 0, reason: "ScalingDisabled")
        }
        var decision: Decision
        if currentReplicas > maxReplicas {
            decision = Decision(replicas: maxReplicas, proposed: proposed, stabilized: maxReplicas, reason: "TooManyReplicas")
        } else if currentReplicas < minReplicas {
            decision = Decision(replicas: minReplicas, proposed: proposed, stabilized: minReplicas, reason: "TooFewReplicas")
        } else if let proposed {
            let stabilized = stabilize(proposed, currentReplicas: currentReplicas, at: nowMs)
            let (limited, reason) = limitRate(stabilized, currentReplicas: currentReplicas, at: nowMs)
            decision = Decision(replicas: limited, proposed: proposed, stabilized: stabilized, reason: reason)
        } else {
            decision = Decision(replicas: currentReplicas, proposed: nil, stabilized: currentReplicas, reason: "FailedGetMetrics")
        }
        record(from: currentReplicas, to: decision.replicas, at: nowMs)
        return decision
    }

    /// `stabilizeRecommendationWithBehaviors`: no higher than the lowest recommendation of the
    /// scale-up window, no lower than the highest of the scale-down window.
    mutating func stabilize(_ desired: Int, currentReplicas: Int, at now: Int64) -> Int {
        let upCutoff = now - Int64(behavior.scaleUp.stabilizationWindowSeconds) * 1000
        let downCutoff = now - Int64(behavior.scaleDown.stabilizationWindowSeconds) * 1000
        var up = desired, down = desired
        var oldIndex: Int? = nil
        for (i, r) in recommendations.enumerated() {
            if r.atMs > upCutoff { up = min(r.replicas, up) }
            if r.atMs > downCutoff { down = max(r.replicas, down) }
            if r.atMs < upCutoff && r.atMs < downCutoff { oldIndex = i }
        }
        var recommendation = currentReplicas
        if recommendation < up { recommendation = up }
        if recommendation > down { recommendation = down }
        let entry = Recommendation(replicas: desired, atMs: now)
        if let oldIndex { recommendations[oldIndex] = entry } else { recommendations.append(entry) }
        return recommendation
    }

    /// `convertDesiredReplicasWithBehaviorRate`: the policies' limit given the scale events of
    /// their periods, then min and max replicas.
    func limitRate(_ desired: Int, currentReplicas: Int, at now: Int64) -> (Int, String) {
        if desired > currentReplicas {
            let limit = max(scaleLimit(behavior.scaleUp, currentReplicas: currentReplicas, at: now, up: true), currentReplicas)
            let maximum = min(maxReplicas, limit)
            if desired > maximum { return (maximum, maxReplicas > limit ? "ScaleUpLimit" : "TooManyReplicas") }
        } else if desired < currentReplicas {
            let limit = min(scaleLimit(behavior.scaleDown, currentReplicas: currentReplicas, at: now, up: false), currentReplicas)
            let minimum = max(minReplicas, limit)
            if desired < minimum { return (minimum, minReplicas < limit ? "ScaleDownLimit" : "TooFewReplicas") }
        }
        return (desired, "DesiredWithinRange")
    }

    func scaleLimit(_ rules: HPABehavior.Rules, currentReplicas: Int, at now: Int64, up: Bool) -> Int {
        if rules.select == .disabled { return currentReplicas }
        // For a scale-down the smallest change (Min) is the largest replica count.
        let pickLargest = (rules.select == .max) == up
        var result = pickLargest ? Int.min : Int.max
        for p in rules.policies {
            let cutoff = now - Int64(p.periodSeconds) * 1000
            let added = scaleUpEvents.filter { $0.atMs > cutoff }.reduce(0) { $0 + $1.change }
            let deleted = scaleDownEvents.filter { $0.atMs > cutoff }.reduce(0) { $0 + $1.change }
            let periodStart = currentReplicas - added + deleted
            let proposed: Int
            switch (p.kind, up) {
            case (.pods, true): proposed = periodStart + p.value
            case (.percent, true): proposed = Int((Double(periodStart) * (1 + Double(p.value) / 100)).rounded(.up))
            case (.pods, false): proposed = periodStart - p.value
            case (.percent, false): proposed = Int(Double(periodStart) * (1 - Double(p.value) / 100))
            }
            result = pickLargest ? max(result, proposed) : min(result, proposed)
        }
        return result
    }

    /// `storeScaleEvent`: changes older than the longest policy period are forgotten.
    mutating func record(from current: Int, to desired: Int, at now: Int64) {
        guard desired != current else { return }
        let longest = Int64((behavior.scaleUp.policies + behavior.scaleDown.policies).map(\.periodSeconds).max() ?? 0) * 1000
        scaleUpEvents.removeAll { $0.atMs <= now - longest }
        scaleDownEvents.removeAll { $0.atMs <= now - longest }
        if desired > current { scaleUpEvents.append(ScaleEvent(change: desired - current, atMs: now)) }
        else { scaleDownEvents.append(ScaleEvent(change: current - desired, atMs: now)) }
    }
}
