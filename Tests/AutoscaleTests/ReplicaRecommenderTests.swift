import Autoscale
import Foundation
import Testing

/// The replica recommender chains the HPA core, burst mode, the forecast and scale to zero, and
/// explains every step.
@Suite struct ReplicaRecommenderTests {
    static func input(_ waiting: Double, replicas: Int, panic: Double? = nil, history: [Double] = []) -> ReplicaRecommender.Input {
        var i = ReplicaRecommender.Input(signals: [(name: "vllm_waiting", value: waiting, targetPerReplica: 5)], currentReplicas: replicas, readyReplicas: replicas)
        i.panicSignals = panic.map { [$0] }
        i.history = history
        return i
    }

    @Test func explainsEachStepAndLimitsByPolicy() throws {
        var settings = ReplicaRecommender.Settings()
        settings.maxReplicas = 20
        // Without burst mode: with it, asking for 4.5 times the ready replicas lifts the rate
        // policies (burstScalesUpAtOnceAndHoldsForAStableWindow covers that).
        settings.burst = nil
        var r = ReplicaRecommender(settings: settings)
        // 42 waiting at 5 per replica asks for 9; from 2 replicas the default policies allow 6.
        let (replicas, e) = r.recommend(at: 0, Self.input(42, replicas: 2))
        #expect(replicas == 6)
        #expect(e.steps.map(\.name) == ["hpa", "stabilized", "policy"])
        #expect(e.steps[0].value == 9 && e.steps[2].note == "ScaleUpLimit")
        #expect(e.oneLine(unit: "replicas") == "6 replicas: ready 2, replicas 2, vllm_waiting 42 → hpa 9 (ceil(signal / target per replica), tolerance 0.1), stabilized 9 (scale-down window 300s), policy 6 (ScaleUpLimit)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(e.json.utf8)) as? [String: Any])
        #expect(json["final"] as? Int == 6 && (json["steps"] as? [[String: Any]])?.count == 3)
        #expect((json["inputs"] as? [String: Double])?["vllm_waiting"] == 42)
    }

    @Test func burstAndForecastRaiseAndNeverLower() {
        var settings = ReplicaRecommender.Settings()
        settings.maxReplicas = 50
        settings.leadTimeMs = 300_000
        var r = ReplicaRecommender(settings: settings)
        // A burst: the last 6 s say 60 waiting while the minute says 20: ≥ 2× the 4 ready → 12 at once.
        let (burst, e1) = r.recommend(at: 0, Self.input(20, replicas: 4, panic: 60))
        #expect(burst == 12 && e1.steps.contains { $0.name == "burst" && $0.value == 12 })
        // Rising history: the forecast five minutes ahead asks for more than the reactive result.
        let rising = (0..<20).map { 10 + 2 * Double($0) }
        let (ahead, e2) = r.recommend(at: 60_000, Self.input(48, replicas: 12, history: rising))
        let forecast = e2.steps.first { $0.name == "forecast" }
        #expect(forecast != nil && e2.inputs["forecast_vllm_waiting"]! > 48 && ahead >= 12)
    }

    @Test func idleModelsScaleToZeroAfterCooldown() {
        var settings = ReplicaRecommender.Settings()
        settings.minReplicas = 0
        settings.scaleToZero = ScaleToZero(activationThreshold: 0, cooldownMs: 300_000)
        settings.burst = nil
        var r = ReplicaRecommender(settings: settings)
        #expect(r.recommend(at: 0, Self.input(3, replicas: 1)).replicas == 1)
        #expect(r.recommend(at: 200_000, Self.input(0, replicas: 1)).replicas >= 1)
        let (zero, e) = r.recommend(at: 400_000, Self.input(0, replicas: 1))
        #expect(zero == 0 && e.steps.last?.note == "idle past the cooldown")
    }
}
