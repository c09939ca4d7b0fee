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
        // Up at once but by at most 2 per change.
        var r = s.apply(at: 0, proposed: ["a": 9, "b": 3], current: ["a": 6, "b": 6], capacity: 12)
        #expect(r["a"]!.final == 8 && r["a"]!.stepped == 8 && r["a"]!.stabilized == 9)
        // b wants 3 but its 6 holds: the window has no higher proposal than 3 yet, so it steps down by 2.
        #expect(r["b"]!.stabilized == 3 && r["b"]!.final == 4)
        // A later lower proposal for a cannot pull it below the window's highest (9 → held at current 8).
        r = s.apply(at: 10 * minute, proposed: ["a": 5, "b": 7], current: ["a": 8, "b": 4], capacity: 12)
        #expect(r["a"]!.stabilized == 8 && r["a"]!.final == 8)
        // b's rise must fit the capacity left by a's held quota: 12 − 8 = 4.
        #expect(r["b"]!.stepped == 6 && r["b"]!.final == 4)
        // Past the window, a falls (by at most 2).
        r = s.apply(at: 41 * minute, proposed: ["a": 5, "b": 7], current: ["a": 8, "b": 4], capacity: 12)
        #expect(r["a"]!.stabilized == 5 && r["a"]!.final == 6 && r["b"]!.final == 6)
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
