import Autoscale
import ScalewatchApp
import Testing

/// A replica policy's `behavior` reads as an HPA's `spec.behavior` does, its tolerance per
/// direction, scale to zero with KEDA's activation threshold; mistakes are named.
@Suite struct ReplicaPolicyConfigTests {
    @Test func behaviorToleranceAndActivationReadAsTheHPAAndKEDAWriteThem() throws {
        let config = try ScalewatchConfig(text: """
            autoscaling:
              replicas:
                - name: web
                  target: web
                  min_replicas: 0
                  activation_threshold: 2
                  cooldown: 10m
                  tolerance: {scale_up: 0.05, scale_down: 0.2}
                  signals: [{query: 'sum(x)', target_per_replica: 10}]
                  behavior:
                    scaleDown:
                      stabilizationWindowSeconds: 600
                      policies:
                        - {type: Pods, value: 4, periodSeconds: 60}
                        - {type: Percent, value: 10, periodSeconds: 60}
                      selectPolicy: Min
                    scaleUp:
                      selectPolicy: Disabled
            """, file: "a.yml")
        let s = try #require(config.autoscaling.replicas.first).settings
        #expect(s.behavior.scaleDown == HPABehavior.Rules(stabilizationWindowSeconds: 600, select: .min,
                                                          policies: [.init(.pods, 4, periodSeconds: 60), .init(.percent, 10, periodSeconds: 60)]))
        // Left out: the scale-up window and policies keep Kubernetes' defaults.
        #expect(s.behavior.scaleUp.select == .disabled && s.behavior.scaleUp.policies == HPABehavior.kubernetesDefault.scaleUp.policies)
        #expect(s.tolerance == HPATolerance(scaleUp: 0.05, scaleDown: 0.2))
        #expect(s.scaleToZero == ScaleToZero(activationThreshold: 2, cooldownMs: 600_000))
        // Scale-up disabled: 100 in flight at 10 per replica stays at 1.
        var r = ReplicaRecommender(settings: s)
        var input = ReplicaRecommender.Input(signals: [("x", 100, 10)], currentReplicas: 1, readyReplicas: 1)
        input.panicSignals = nil
        #expect(r.recommend(at: 15_000, input).replicas == 1)
        // The defaults: Kubernetes' behavior with a 3-minute scale-down window.
        let plain = try ScalewatchConfig(text: "autoscaling:\n  replicas: [{name: a, target: a, signals: [{query: 'x', target: 1}]}]", file: "b.yml")
        #expect(plain.autoscaling.replicas[0].settings.behavior.scaleDown.stabilizationWindowSeconds == 180)
        #expect(plain.autoscaling.replicas[0].settings.behavior.scaleUp == HPABehavior.kubernetesDefault.scaleUp)
    }

    @Test func mistakesInBehaviorAreNamed() {
        var text = ""
        do {
            _ = try ScalewatchConfig(text: """
                autoscaling:
                  replicas:
                    - name: web
                      target: web
                      tolerance: 1.5
                      scale_down_window: 1m
                      signals: [{query: 'x', target: 1}]
                      behavior:
                        scaleUp: {selectPolicy: Sometimes, stabilizationWindowSeconds: 7200, policies: [{type: Nodes, value: 1, periodSeconds: 15}]}
                """, file: "bad.yml")
        } catch { text = "\(error)" }
        #expect(text.contains("tolerance must be at least 0 and below 1"), "\(text)")
        #expect(text.contains("scale_down_window and behavior both set the scale-down window"))
        #expect(text.contains(#"selectPolicy must be Max, Min or Disabled, got "Sometimes""#))
        #expect(text.contains("stabilizationWindowSeconds must be between 0 and 3600"))
        #expect(text.contains(#"type must be Pods or Percent, got "Nodes""#))
        #expect(text.contains("bad.yml:"))
    }
}
