import Autoscale
import PromQL
import Scrape
import TestSupport
import TSDB
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
                      signals: [{query: 'x', target: 1}, {query: 'y', target: 1, per_pod: true}]
                      pods: 'kube_pod_status_ready{'
                      behavior:
                        scaleUp: {selectPolicy: Sometimes, stabilizationWindowSeconds: 7200, policies: [{type: Nodes, value: 1, periodSeconds: 15}]}
                """, file: "bad.yml")
        } catch { text = "\(error)" }
        #expect(text.contains("tolerance must be at least 0 and below 1"), "\(text)")
        #expect(text.contains("scale_down_window and behavior both set the scale-down window"))
        #expect(text.contains(#"selectPolicy must be Max, Min or Disabled, got "Sometimes""#))
        #expect(text.contains("stabilizationWindowSeconds must be between 0 and 3600"))
        #expect(text.contains(#"type must be Pods or Percent, got "Nodes""#))
        #expect(text.contains("per_pod reads a value per pod against target_per_replica"))
        #expect(text.contains("could not parse query"))
        #expect(text.contains("bad.yml:"))
    }
}

/// The ready-made signals select what the real servers expose (the fixtures), narrowed by `match`.
@Suite struct SignalPresetTests {
    @Test func everyPresetFindsItsServersSeries() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let triton = """
            # TYPE nv_inference_pending_request_count gauge
            nv_inference_pending_request_count{model="resnet",version="1"} 7
            nv_inference_pending_request_count{model="bert",version="1"} 2
            """
        for t: Int64 in [0, 30_000, 60_000] {
            for (name, body) in [("vllm", try Fixtures.bytes("vllm_metrics.prom")), ("modelmesh", try Fixtures.bytes("modelmesh_metrics.prom")),
                                 ("triton", Array(triton.utf8))] {
                var ingester = ExpositionIngester(targetLabels: [Label("instance", name + ":8080"), Label("job", name)])
                let app = storage.appender()
                _ = try ingester.ingest(body, format: .prometheusText, timestampMs: t, into: app)
                app.commit()
            }
        }
        let engine = Engine(querier: storage.querier())
        for preset in SignalPresets.all {
            let result = try engine.instant(preset.query(match: nil), atMs: 60_000)
            guard case .vector(let v) = result, v.count == 1 else {
                Issue.record("\(preset.name): \(result)")
                continue
            }
        }
        let narrowed = try #require(SignalPresets.named("triton_pending_requests")).query(match: #"model="resnet""#)
        guard case .vector(let v) = try engine.instant(narrowed, atMs: 60_000) else { return }
        #expect(v.map(\.value) == [7])
        #expect(try #require(SignalPresets.named("modelmesh_request_rate")).query(match: #"vModelId="x""#)
            == #"sum(rate(modelmesh_api_request_milliseconds_count{method="ModelInfer",vModelId="x"}[1m]))"#)
        let config = try ScalewatchConfig(text: """
            autoscaling:
              replicas:
                - name: llama
                  target: llama
                  signals:
                    - {preset: vllm_requests_in_flight, match: 'model_name="llama"', target_per_replica: 24}
                    - {preset: vllm_p95_latency_seconds, match: 'model_name="llama"', target: 20, scale_down: false}
            """, file: "p.yml")
        #expect(config.autoscaling.replicas[0].signals.map(\.name) == ["vllm_requests_in_flight", "vllm_p95_latency_seconds"])
        #expect(config.autoscaling.replicas[0].signals[0].query == #"sum(vllm:num_requests_running{model_name="llama"}) + sum(vllm:num_requests_waiting{model_name="llama"})"#)
    }

    @Test func presetMistakesAreNamed() {
        var text = ""
        do {
            _ = try ScalewatchConfig(text: """
                autoscaling:
                  replicas:
                    - name: a
                      target: a
                      signals:
                        - {preset: vllm_queue, target_per_replica: 3}
                        - {preset: vllm_kv_cache_usage, target_per_replica: 3}
                        - {query: 'x', match: 'a="b"', target: 1}
                        - {preset: triton_pending_requests, match: 'model=', target_per_replica: 3}
                """, file: "bad.yml")
        } catch { text = "\(error)" }
        #expect(text.contains(#"unknown preset "vllm_queue"; presets: vllm_requests_in_flight"#), "\(text)")
        #expect(text.contains("preset vllm_kv_cache_usage (vLLM KV-cache use, 0 to 1, averaged over replicas) reads against target, a value"))
        #expect(text.contains("match narrows a preset"))
        #expect(text.contains("could not parse query"))
    }
}
