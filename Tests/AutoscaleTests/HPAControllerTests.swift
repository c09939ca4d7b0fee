import Autoscale
import Testing

/// The HPA core against Kubernetes' documented behaviour (the HPA walkthrough and the
/// `behavior` examples of the autoscaling documentation) and its replica calculator's rules.
@Suite struct HPAControllerTests {
    static func pods(_ values: [Double?], ready: [Bool]? = nil, request: Double = 0) -> [PodSample] {
        values.enumerated().map { i, v in PodSample("p\(i)", value: v, request: request, ready: ready?[i] ?? true) }
    }

    @Test func desiredIsCurrentTimesRatioRoundedUp() throws {
        // "If the current metric value is 200m and the desired value is 100m, the replicas double."
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([0.2, 0.2, 0.2]), target: 0.1), currentReplicas: 3) == 6)
        // "If the current value is 50m, you halve the number of replicas."
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([0.05, 0.05, 0.05, 0.05]), target: 0.1), currentReplicas: 4) == 2)
        // Utilization: 3 pods at 80 % of their request against 50 % → ceil(3 × 1.6) = 5.
        #expect(try ReplicaCalculator.replicas(for: .utilization(pods: Self.pods([0.8, 0.8, 0.8], request: 1), targetPercent: 50), currentReplicas: 3) == 5)
        // Value and External AverageValue.
        #expect(try ReplicaCalculator.replicas(for: .value(current: 300, target: 100), currentReplicas: 2) == 6)
        #expect(try ReplicaCalculator.replicas(for: .externalAverageValue(total: 950, target: 100), currentReplicas: 4) == 10)
        // From zero replicas a Value metric scales to ceil(ratio).
        #expect(try ReplicaCalculator.replicas(for: .value(current: 250, target: 100), currentReplicas: 0) == 3)
    }

    @Test func toleranceHoldsSmallChangesPerDirection() throws {
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([105, 105]), target: 100), currentReplicas: 2) == 2)
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([111, 111]), target: 100), currentReplicas: 2) == 3)
        let wideDown = HPATolerance(scaleUp: 0.05, scaleDown: 0.3)
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([75, 75, 75, 75]), target: 100), currentReplicas: 4, tolerance: wideDown) == 4)
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([107, 107]), target: 100), currentReplicas: 2, tolerance: wideDown) == 3)
    }

    @Test func missingAndNotReadyPodsFollowTheCalculatorsRules() throws {
        // Scale-down with a missing pod: it counts as at its request (100 %): (10+10+10+100)/4/50 → 3.
        #expect(try ReplicaCalculator.replicas(for: .utilization(pods: Self.pods([0.1, 0.1, 0.1, nil], request: 1), targetPercent: 50), currentReplicas: 4) == 3)
        // Scale-up with a not-ready pod: it counts as idle: (100+100+0)/3/50 = 1.33 → 4.
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([100, 100, 100], ready: [true, true, false]), target: 50), currentReplicas: 3) == 4)
        // A missing pod that would reverse the direction holds the replicas: (120+0)/2/100 = 0.6 < 1 after 1.2 > 1.
        #expect(try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([120, nil]), target: 100), currentReplicas: 2) == 2)
        #expect(throws: ReplicaCalculator.NoProposal.self) {
            try ReplicaCalculator.replicas(for: .averageValue(pods: Self.pods([nil, nil]), target: 100), currentReplicas: 2)
        }
    }

    @Test func defaultBehaviorScalesUpByFourPodsOrDoublingPerFifteenSeconds() {
        var hpa = HPAController(minReplicas: 1, maxReplicas: 50)
        let hot = HPAMetric.value(current: 2_000, target: 100)
        // Asked for 20 from 1: max(1 + 4, 2 × 1) = 5 now, then 10 after 15 s, then 20.
        #expect(hpa.decide(at: 0, currentReplicas: 1, metrics: [hot]).replicas == 5)
        #expect(hpa.decide(at: 5_000, currentReplicas: 5, metrics: [.value(current: 400, target: 100)]).replicas == 5)
        #expect(hpa.decide(at: 16_000, currentReplicas: 5, metrics: [.value(current: 400, target: 100)]).replicas == 10)
        let third = hpa.decide(at: 32_000, currentReplicas: 10, metrics: [.value(current: 200, target: 100)])
        #expect(third.replicas == 20 && third.reason == "DesiredWithinRange")
        // Bounded by maxReplicas.
        let capped = hpa.decide(at: 48_000, currentReplicas: 20, metrics: [.value(current: 1_000, target: 100)])
        #expect(capped.replicas == 40 && capped.reason == "ScaleUpLimit")
        #expect(hpa.decide(at: 64_000, currentReplicas: 40, metrics: [.value(current: 1_000, target: 100)]).replicas == 50)
    }

    @Test func scaleDownWaitsForTheHighestRecommendationOfFiveMinutes() {
        var hpa = HPAController(minReplicas: 1, maxReplicas: 20)
        #expect(hpa.decide(at: 0, currentReplicas: 10, metrics: [.value(current: 100, target: 100)]).replicas == 10)
        // Load falls: the proposals are 5, then 8, but 10 was recommended within the window.
        #expect(hpa.decide(at: 60_000, currentReplicas: 10, metrics: [.value(current: 50, target: 100)]).replicas == 10)
        #expect(hpa.decide(at: 120_000, currentReplicas: 10, metrics: [.value(current: 80, target: 100)]).replicas == 10)
        // Past 300 s from the 10, the highest left in the window is 8.
        let later = hpa.decide(at: 301_000, currentReplicas: 10, metrics: [.value(current: 50, target: 100)])
        #expect(later.replicas == 8 && later.proposed == 5 && later.stabilized == 8)
    }

    @Test func documentedScaleDownPoliciesRemoveEightThenFourAtATime() {
        // behavior.scaleDown: Pods 4 per 60 s and Percent 10 per 60 s (select Max, no window):
        // 80 → 72 (10 % = 8 pods), … below 40 the Pods policy's 4 pods allow more.
        let behavior = HPABehavior(
            scaleUp: HPABehavior.kubernetesDefault.scaleUp,
            scaleDown: .init(stabilizationWindowSeconds: 0, policies: [.init(.pods, 4, periodSeconds: 60), .init(.percent, 10, periodSeconds: 60)]))
        var hpa = HPAController(minReplicas: 1, maxReplicas: 100, behavior: behavior)
        let low = HPAMetric.value(current: 10, target: 100)
        var replicas = 80, t: Int64 = 0
        var steps: [Int] = []
        for _ in 0..<6 {
            replicas = hpa.decide(at: t, currentReplicas: replicas, metrics: [low]).replicas
            steps.append(replicas)
            // Within the same period nothing more may go.
            #expect(hpa.decide(at: t + 30_000, currentReplicas: replicas, metrics: [low]).replicas == replicas)
            t += 61_000
        }
        #expect(steps == [72, 64, 57, 51, 45, 40])
        replicas = hpa.decide(at: t, currentReplicas: 40, metrics: [low]).replicas
        #expect(replicas == 36)
        replicas = hpa.decide(at: t + 61_000, currentReplicas: 36, metrics: [low]).replicas
        #expect(replicas == 32)
    }

    @Test func selectMinAndDisabledAndBounds() {
        var frozen = HPAController(minReplicas: 2, maxReplicas: 10, behavior: HPABehavior(
            scaleUp: HPABehavior.kubernetesDefault.scaleUp,
            scaleDown: .init(stabilizationWindowSeconds: 0, select: .disabled, policies: [.init(.percent, 100, periodSeconds: 15)])))
        #expect(frozen.decide(at: 0, currentReplicas: 6, metrics: [.value(current: 10, target: 100)]).replicas == 6)
        var careful = HPAController(minReplicas: 1, maxReplicas: 100, behavior: HPABehavior(
            scaleUp: .init(stabilizationWindowSeconds: 0, select: .min, policies: [.init(.pods, 4, periodSeconds: 60), .init(.percent, 100, periodSeconds: 60)]),
            scaleDown: HPABehavior.kubernetesDefault.scaleDown))
        // Min of (10 + 4, 10 × 2) = 14.
        #expect(careful.decide(at: 0, currentReplicas: 10, metrics: [.value(current: 1_000, target: 100)]).replicas == 14)
        var bounded = HPAController(minReplicas: 3, maxReplicas: 5)
        #expect(bounded.decide(at: 0, currentReplicas: 7, metrics: []).replicas == 5)
        #expect(bounded.decide(at: 0, currentReplicas: 1, metrics: []).reason == "TooFewReplicas")
        #expect(bounded.decide(at: 0, currentReplicas: 0, metrics: [.value(current: 1_000, target: 1)]).reason == "ScalingDisabled")
        // Several metrics: the largest proposal wins.
        var multi = HPAController(minReplicas: 1, maxReplicas: 100)
        #expect(multi.decide(at: 0, currentReplicas: 4, metrics: [.value(current: 150, target: 100), .value(current: 300, target: 100)]).proposed == 12)
    }
}
