import Autoscale
import Testing

/// Quota shares keep Kueue's invariants: the sum stays within capacity, minimums are met, no
/// queue drops below its usage, whole units by largest remainder, and noise moves little.
@Suite struct QuotaShareTests {
    @Test func demandIsSharedByWeightWithinCapacity() {
        let r = QuotaShare.share(capacity: 16, queues: [
            .init(name: "team-a", usage: 4, pending: 8, minimum: 2),
            .init(name: "team-b", usage: 2, pending: 0, minimum: 2),
            .init(name: "team-c", usage: 0, pending: 6, weight: 2),
        ])
        // Floors 4 + 2 + 0; the remaining 10 go to unmet demand (8 and 6) by weight 1 : 2:
        // team-c is capped at its 6, the rest goes to team-a.
        #expect(r.quota == ["team-a": 8, "team-b": 2, "team-c": 6])
        #expect(!r.floorsExceedCapacity)
    }

    @Test func idleCapacityIsSharedToo() {
        let r = QuotaShare.share(capacity: 10, queues: [
            .init(name: "a", usage: 1, pending: 0), .init(name: "b", usage: 1, pending: 0, maximum: 3),
        ])
        #expect(r.quota == ["a": 7, "b": 3])
    }

    @Test func largestRemainderRoundsToWholeUnits() {
        let r = QuotaShare.share(capacity: 10, queues: [
            .init(name: "a", usage: 0, pending: 10), .init(name: "b", usage: 0, pending: 10), .init(name: "c", usage: 0, pending: 10),
        ])
        #expect(r.quota.values.reduce(0, +) == 10 && r.quota.values.allSatisfy { $0 == 3 || $0 == 4 })
        #expect(r.quota["a"] == 4)
    }

    @Test func inactiveQueuesKeepTheirFloorAndFloorsAboveCapacityAreReported() {
        let r = QuotaShare.share(capacity: 8, queues: [
            .init(name: "a", usage: 2, pending: 20), .init(name: "stopped", usage: 3, pending: 9, active: false),
        ])
        #expect(r.quota == ["a": 5, "stopped": 3])
        let over = QuotaShare.share(capacity: 4, queues: [.init(name: "a", usage: 3, pending: 0), .init(name: "b", usage: 0, pending: 0, minimum: 2)])
        #expect(over.floorsExceedCapacity && over.quota == ["a": 3, "b": 2])
        #expect(QuotaShare.lendingLimit(12, nominal: 8) == 8 && QuotaShare.lendingLimit(nil, nominal: 8) == nil)
    }

    @Test func invariantsHoldOnRandomCohorts() {
        var seed: UInt64 = 42
        func next() -> Double {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Double(seed >> 11) / Double(1 << 53)
        }
        for _ in 0..<500 {
            let capacity = Int(next() * 64)
            let queues = (0..<Int(1 + next() * 5)).map { i in
                QuotaShare.Queue(name: "q\(i)", usage: (next() * 8).rounded(), pending: (next() * 20).rounded(), minimum: (next() * 4).rounded(),
                                 maximum: next() < 0.3 ? (next() * 30).rounded() : nil, weight: 0.5 + next() * 2, active: next() > 0.1)
            }
            let r = QuotaShare.share(capacity: capacity, queues: queues)
            for q in queues {
                #expect(Double(r.quota[q.name]!) >= max(q.minimum, q.usage))
                if let m = q.maximum, r.quota[q.name]! > Int(max(q.minimum, q.usage).rounded(.up)) { #expect(Double(r.quota[q.name]!) <= m) }
            }
            if !r.floorsExceedCapacity { #expect(r.quota.values.reduce(0, +) <= capacity) }
            // Noise: half a unit more pending somewhere moves the total by at most one unit per queue.
            var noisy = queues
            if !noisy.isEmpty { noisy[0].pending += 0.5 }
            let n = QuotaShare.share(capacity: capacity, queues: noisy)
            #expect(queues.allSatisfy { abs(n.quota[$0.name]! - r.quota[$0.name]!) <= 1 })
        }
    }
}
