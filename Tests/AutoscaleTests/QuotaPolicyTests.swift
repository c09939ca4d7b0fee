import Autoscale
import Foundation
import Testing

/// The quota policy's Kueue side and its hold-back: unset limits in both Kueue generations,
/// the v1beta2 ClusterQueue shape with lendingLimit ≤ nominalQuota, quantities, and the
/// stabilization window, maximum step and capacity kept under noisy demand.
@Suite struct QuotaPolicyTests {
    @Test func unsetLimitsReadAsInfinityOrAsZeroBefore019() {
        #expect(KueueQuota.limit(.infinity, kueueVersion: "v0.19.1") == nil)
        #expect(KueueQuota.limit(.infinity, kueueVersion: nil) == nil)
        #expect(KueueQuota.limit(0, kueueVersion: "v0.18.2") == nil)
        #expect(KueueQuota.limit(0, kueueVersion: "v0.9.0") == nil)
        #expect(KueueQuota.limit(0, kueueVersion: "v0.19.0") == 0)
        #expect(KueueQuota.limit(0, kueueVersion: "v1.2.0") == 0)
        #expect(KueueQuota.limit(4, kueueVersion: "v0.18.2") == 4)
        #expect(KueueQuota.limit(nil, kueueVersion: "v0.19.0") == nil)
    }

    @Test func clusterQueuesComeOutInTheV1beta2ShapeWithValidLendingLimits() throws {
        let gib = 1_073_741_824.0
        let quotas = [
            KueueQuota.ResourceQuota(clusterQueue: "team-b-cq", flavor: "gpu-h100", resource: "nvidia.com/gpu", nominalQuota: 3, lendingLimit: 5),
            KueueQuota.ResourceQuota(clusterQueue: "team-b-cq", flavor: "gpu-h100", resource: "memory", nominalQuota: 512 * gib),
            KueueQuota.ResourceQuota(clusterQueue: "team-a-cq", flavor: "gpu-a100", resource: "cpu", nominalQuota: 1.5, borrowingLimit: 4),
        ]
        #expect(quotas[0].lendingLimit == 3, "a lendingLimit above the nominal quota is cut to it")
        let out = KueueQuota.clusterQueuesJSON(quotas)
        #expect(out.map(\.clusterQueue) == ["team-a-cq", "team-b-cq"])
        let b = try #require(JSONSerialization.jsonObject(with: Data(out[1].json.utf8)) as? [String: Any])
        #expect(b["apiVersion"] as? String == "kueue.x-k8s.io/v1beta2" && b["kind"] as? String == "ClusterQueue")
        let groups = try #require((b["spec"] as? [String: Any])?["resourceGroups"] as? [[String: Any]])
        #expect(groups.count == 1 && groups[0]["coveredResources"] as? [String] == ["memory", "nvidia.com/gpu"])
        let flavor = try #require((groups[0]["flavors"] as? [[String: Any]])?.first)
        #expect(flavor["name"] as? String == "gpu-h100")
        let resources = try #require(flavor["resources"] as? [[String: String]])
        #expect(resources == [["name": "memory", "nominalQuota": "512Gi"], ["name": "nvidia.com/gpu", "nominalQuota": "3", "lendingLimit": "3"]])
        #expect(out[0].json.contains(#"{"name":"cpu","nominalQuota":"1500m","borrowingLimit":"4"}"#))
        #expect(KueueQuota.quantity(1.5 * 1_048_576, resource: "memory") == "1536Ki")
        #expect(KueueQuota.quantity(1000, resource: "memory") == "1000")
    }

    @Test func decreasesWaitForTheWindowAndStepsAreBounded() {
        var s = QuotaStabilizer(windowMs: 30 * 60_000, maxStep: 2)
        let minute: Int64 = 60_000
        // a may rise by at most 2 (to 8); b's fall waits for its window (a first sight seeds it with
        // the current 6), so a's rise is trimmed to keep the cohort within 12.
        var r = s.apply(at: 0, proposed: ["a": 9, "b": 3], current: ["a": 6, "b": 6], capacity: 12)
        #expect(r["a"]!.stabilized == 9 && r["a"]!.stepped == 8 && r["a"]!.final == 6)
        #expect(r["b"]!.stabilized == 6 && r["b"]!.final == 6)
        // Ten minutes on, a's 9 still holds a at 6; b's rise to 7 does not fit beside it.
        r = s.apply(at: 10 * minute, proposed: ["a": 5, "b": 7], current: ["a": 6, "b": 6], capacity: 12)
        #expect(r["a"]!.stabilized == 6 && r["b"]!.stepped == 7 && r["b"]!.final == 6)
        // Past the window, a falls and b rises.
        r = s.apply(at: 41 * minute, proposed: ["a": 5, "b": 7], current: ["a": 6, "b": 6], capacity: 12)
        #expect(r["a"]!.final == 5 && r["b"]!.final == 7)
        // A large move goes 2 at a time.
        r = s.apply(at: 80 * minute, proposed: ["a": 1, "b": 11], current: ["a": 5, "b": 7], capacity: 12)
        #expect(r["a"]!.stabilized == 1 && r["a"]!.final == 3 && r["b"]!.final == 9)
    }

    @Test func sharesStayValidAndStableUnderNoise() {
        var rng = SystemRandomNumberGenerator()
        var s = QuotaStabilizer(windowMs: 30 * 60_000, maxStep: 4)
        var current = ["a": 8, "b": 4, "c": 4]
        var changes = 0
        for i in 0..<480 {
            // Demand jitters ±10 % around a steady level, every 15 s for two hours.
            let noise = { (level: Double) in level * Double.random(in: 0.9...1.1, using: &rng) }
            let queues = [QuotaShare.Queue(name: "a", usage: 5, pending: noise(6), minimum: 2),
                          QuotaShare.Queue(name: "b", usage: 2, pending: noise(2), minimum: 2),
                          QuotaShare.Queue(name: "c", usage: 1, pending: noise(1), minimum: 1)]
            let share = QuotaShare.share(capacity: 16, queues: queues)
            let r = s.apply(at: Int64(i) * 15_000, proposed: share.quota, current: current, capacity: 16)
            let next = r.mapValues(\.final)
            #expect(next.values.reduce(0, +) <= 16)
            #expect(next["a"]! >= 5 && next["b"]! >= 2 && next["c"]! >= 1, "minimums and usage")
            if next != current { changes += 1 }
            current = next
        }
        // After settling, noise moves nothing: a handful of changes in 480 evaluations.
        #expect(changes <= 6, "\(changes) changes")
    }
}
