import Autoscale
import Foundation
import Testing

/// VPA's per-container history: memory as per-interval peaks, the OOM bump, confidence from
/// history length, and a checkpoint that restores the same estimate.
@Suite struct ContainerHistoryTests {
    @Test func memoryCountsEachIntervalsPeakOnce() {
        var h = ContainerHistory()
        h.memoryIntervalMs = 3_600_000
        // Within one hour: 1, 3, 2 GB → only the 3 GB peak stays in the histogram.
        for (i, gb) in [1.0, 3.0, 2.0].enumerated() { h.addMemory(gb * 1e9, atMs: Int64(i) * 60_000) }
        #expect(abs(h.memory.totalWeight - 1) < 1e-9)
        #expect(h.memory.percentile(0.5) >= 3e9 && h.memory.percentile(0.5) < 3.2e9)
        // The next hour starts a new peak.
        h.addMemory(1e9, atMs: 3_600_000)
        #expect(abs(h.memory.totalWeight - 1 - pow(2, 1.0 / 24)) < 1e-9)
    }

    @Test func anOOMKillRaisesTheMemoryTarget() {
        var h = ContainerHistory()
        for i in 0..<1440 {
            h.addCPU(1, atMs: Int64(i) * 60_000)
            h.addMemory(4e9, atMs: Int64(i) * 60_000)
        }
        let before = h.estimate().memoryBytes.target
        h.addOOM(memoryUsedBytes: 8e9, atMs: 1440 * 60_000)
        h.addOOM(memoryUsedBytes: 8e9, atMs: 1441 * 60_000 + 86_400_000)
        let after = h.estimate().memoryBytes.target
        #expect(h.ooms == 2)
        #expect(after > before && after >= 8e9 * 1.2, "\(before) → \(after)")
    }

    @Test func aCheckpointRestoresTheSameEstimate() throws {
        var h = ContainerHistory()
        for i in 0..<3000 {
            h.addCPU(0.5 + Double(i % 10) / 10, atMs: Int64(i) * 60_000)
            h.addMemory(6e9 + Double(i % 7) * 1e8, atMs: Int64(i) * 60_000)
        }
        let restored = try JSONDecoder().decode(ContainerHistory.self, from: try JSONEncoder().encode(h))
        #expect(restored == h && restored.estimate() == h.estimate())
        // Two days of history: the bounds are tighter than after a day.
        let week = h.estimate()
        var short = ContainerHistory()
        for i in 0..<1440 { short.addCPU(0.5 + Double(i % 10) / 10, atMs: Int64(i) * 60_000) }
        #expect(short.estimate().cpuCores.upper > week.cpuCores.upper)
    }
}
