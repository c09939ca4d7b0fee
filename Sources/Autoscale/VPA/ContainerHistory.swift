/// What the VPA recommender keeps per container: decaying CPU and memory histograms, memory
/// as the peak of each aggregation interval (24 h, VPA's default; a rising peak replaces the
/// interval's earlier one), OOM kills as bumped memory samples, and how long and how much
/// history there is, for the confidence. Codable: checkpointed so a restart keeps the history.
public struct ContainerHistory: Sendable, Codable, Equatable {
    public private(set) var cpu = DecayingHistogram(options: .cpu)
    public private(set) var memory = DecayingHistogram(options: .memory)
    public var memoryIntervalMs: Int64 = 24 * 3_600_000
    public private(set) var firstSampleMs: Int64?
    public private(set) var lastSampleMs: Int64?
    public private(set) var cpuSamples = 0
    /// The current interval's start and peak (already in the memory histogram).
    private var peakStartMs: Int64?
    private var peak = 0.0
    /// OOM kills seen.
    public private(set) var ooms = 0

    public init() {}

    /// One CPU usage sample, in cores.
    public mutating func addCPU(_ cores: Double, atMs t: Int64) {
        guard cores.isFinite, cores >= 0 else { return }
        cpu.add(cores, weight: 1, atMs: t)
        cpuSamples += 1
        seen(t)
    }

    /// One memory usage sample, in bytes: it counts as the interval's peak if it is the highest.
    public mutating func addMemory(_ bytes: Double, atMs t: Int64) {
        guard bytes.isFinite, bytes >= 0 else { return }
        if let start = peakStartMs, t < start + memoryIntervalMs {
            if bytes > peak {
                memory.subtract(peak, weight: 1, atMs: start)
                memory.add(bytes, weight: 1, atMs: start)
                peak = bytes
            }
        } else {
            peakStartMs = t
            peak = bytes
            memory.add(bytes, weight: 1, atMs: t)
        }
        seen(t)
    }

    /// An OOM kill while using `bytes`: VPA records max(+100 MiB, ×1.2) as a memory sample.
    public mutating func addOOM(memoryUsedBytes bytes: Double, atMs t: Int64) {
        ooms += 1
        addMemory(ResourceEstimator.oomBump(memoryUsedBytes: bytes), atMs: t)
    }

    private mutating func seen(_ t: Int64) {
        if firstSampleMs == nil || t < firstSampleMs! { firstSampleMs = t }
        if lastSampleMs == nil || t > lastSampleMs! { lastSampleMs = t }
    }

    /// History length in days, for the confidence.
    public var lifespanDays: Double {
        guard let first = firstSampleMs, let last = lastSampleMs else { return 0 }
        return Double(last - first) / 86_400_000
    }

    /// The estimate; `sampleEveryMs` scales the sample count to VPA's one-a-minute.
    public func estimate(_ estimator: ResourceEstimator = ResourceEstimator(), sampleEveryMs: Int64 = 60_000) -> ResourceEstimate {
        estimator.estimate(cpu: cpu, memory: memory, lifespanDays: lifespanDays,
                           samples: Int(Double(cpuSamples) * Double(sampleEveryMs) / 60_000))
    }
}
