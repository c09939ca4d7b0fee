import Autoscale
import Testing

/// The VPA histogram arithmetic: VPA's bucket geometry (176 buckets for CPU and memory),
/// percentiles at bucket ends, 24-hour half-life decay, the estimator's margin, confidence
/// multipliers and minimums, and the OOM bump. Expected numbers computed from VPA's formulas.
@Suite struct VPAHistogramTests {
    @Test func bucketsFollowVPAsGeometry() {
        #expect(DecayingHistogram.Options.cpu.buckets == 176)
        #expect(DecayingHistogram.Options.memory.buckets == 176)
        #expect(DecayingHistogram.Options.cpu.bucket(for: 1.0) == 36)
        #expect(DecayingHistogram.Options.cpu.bucket(for: 0.001) == 0)
        #expect(DecayingHistogram.Options.cpu.bucket(for: 1e9) == 175)
        var h = DecayingHistogram(options: .cpu)
        h.add(1.0, weight: 1, atMs: 0)
        #expect(abs(h.percentile(0.9) - 1.0162813885540918) < 1e-12)
        var m = DecayingHistogram(options: .memory)
        m.add(2e9, weight: 1, atMs: 0)
        #expect(abs(m.percentile(0.5) - 2_093_479_957.1507382) < 1e-3)
    }

    @Test func recentSamplesWeighDoubleAfterAHalfLife() {
        var h = DecayingHistogram(options: .cpu)
        h.add(0.5, weight: 1, atMs: 0)
        h.add(2.0, weight: 1, atMs: 24 * 3_600_000)
        #expect(abs(h.totalWeight - 3) < 1e-12)
        let opts = DecayingHistogram.Options.cpu
        // p30: the older sample's weight (1) reaches 0.9 of 3; p50 needs the newer one.
        #expect(h.percentile(0.3) == opts.bucketStart(opts.bucket(for: 0.5) + 1))
        #expect(h.percentile(0.5) == opts.bucketStart(opts.bucket(for: 2.0) + 1))
        // Far-future samples shift the reference instead of overflowing; the proportions stay.
        h.add(2.0, weight: 1, atMs: 24 * 3_600_000 * 200)
        #expect(h.totalWeight.isFinite && h.percentile(0.01) == opts.bucketStart(opts.bucket(for: 2.0) + 1))
    }

    @Test func estimatorAppliesMarginConfidenceAndMinimums() {
        var cpu = DecayingHistogram(options: .cpu), memory = DecayingHistogram(options: .memory)
        cpu.add(1.0, weight: 1, atMs: 0)
        memory.add(2e9, weight: 1, atMs: 0)
        // Eight days of one-minute samples: confidence 8 days.
        let e = ResourceEstimator().estimate(cpu: cpu, memory: memory, lifespanDays: 8, samples: 8 * 1_440)
        let end = 1.0162813885540918
        #expect(abs(e.cpuCores.target - end * 1.15) < 1e-12)
        #expect(abs(e.cpuCores.upper - end * 1.15 * 1.125) < 1e-12)
        #expect(abs(e.cpuCores.lower - end * 1.15 * 1 / ((1 + 0.001 / 8) * (1 + 0.001 / 8))) < 1e-12)
        // A short history widens the upper bound: one day of samples doubles it.
        let young = ResourceEstimator().estimate(cpu: cpu, memory: memory, lifespanDays: 5, samples: 1_440)
        #expect(abs(young.cpuCores.upper - end * 1.15 * 2) < 1e-12)
        // Tiny usage is raised to VPA's minimums.
        var idle = DecayingHistogram(options: .cpu), small = DecayingHistogram(options: .memory)
        idle.add(0.001, weight: 1, atMs: 0)
        small.add(1e6, weight: 1, atMs: 0)
        let floor = ResourceEstimator().estimate(cpu: idle, memory: small, lifespanDays: 8, samples: 11_520)
        #expect(floor.cpuCores.target == 0.025 && floor.memoryBytes.target == 250 * 1_048_576)
    }

    @Test func oomBumpIsTwentyPercentOrAHundredMebibytes() {
        #expect(ResourceEstimator.oomBump(memoryUsedBytes: 1_073_741_824) == 1_073_741_824 * 1.2)
        #expect(ResourceEstimator.oomBump(memoryUsedBytes: 200 * 1_048_576) == 300 * 1_048_576)
    }
}
