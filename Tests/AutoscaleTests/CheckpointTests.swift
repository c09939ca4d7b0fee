import Autoscale
import Foundation
import Testing

/// The recommenders' memory survives a restart: a checkpoint of a VPA histogram and of the HPA
/// controller's recommendations and scale events restores the same decisions.
@Suite struct CheckpointTests {
    @Test func histogramsRestoreWithTheirDecay() throws {
        var h = DecayingHistogram(options: .cpu)
        for i in 0..<500 { h.add(0.2 + Double(i % 40) / 20, weight: 1, atMs: Int64(i) * 60_000) }
        let restored = try JSONDecoder().decode(DecayingHistogram.self, from: try JSONEncoder().encode(h))
        #expect(restored == h)
        #expect(restored.percentile(0.9) == h.percentile(0.9))
        // Later samples weigh the same after the restore as they would have before.
        var a = h, b = restored
        a.add(3, weight: 1, atMs: 600 * 60_000)
        b.add(3, weight: 1, atMs: 600 * 60_000)
        #expect(a == b)
    }

    @Test func theHPAsWindowsAndEventsSurviveARestart() throws {
        var hpa = HPAController(minReplicas: 1, maxReplicas: 20)
        _ = hpa.decide(at: 0, currentReplicas: 10, metrics: [.value(current: 100, target: 100)])
        _ = hpa.decide(at: 60_000, currentReplicas: 10, metrics: [.value(current: 50, target: 100)])
        var restored = try JSONDecoder().decode(HPAController.self, from: try JSONEncoder().encode(hpa))
        // The 10 recommended at t=0 still holds the scale-down off after the restart, as it would have.
        let before = hpa.decide(at: 120_000, currentReplicas: 10, metrics: [.value(current: 50, target: 100)])
        let after = restored.decide(at: 120_000, currentReplicas: 10, metrics: [.value(current: 50, target: 100)])
        #expect(before == after && after.replicas == 10)
        // A controller without the checkpoint (Kubernetes' HPA after a restart) scales down at once.
        var forgetful = HPAController(minReplicas: 1, maxReplicas: 20)
        #expect(forgetful.decide(at: 120_000, currentReplicas: 10, metrics: [.value(current: 50, target: 100)]).replicas == 5)
    }
}
