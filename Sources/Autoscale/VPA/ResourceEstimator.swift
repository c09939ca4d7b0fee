#if canImport(Glibc)
import Glibc
#endif

/// The VPA recommender's estimates for one container from its CPU and memory histograms:
/// target p90, lower bound p50, upper bound p95, a 15 % safety margin, bounds widened by the
/// confidence a short history gives, and minimums.
public struct ResourceEstimate: Sendable, Equatable {
    public var cpuCores: (lower: Double, target: Double, upper: Double)
    public var memoryBytes: (lower: Double, target: Double, upper: Double)

    public static func == (a: ResourceEstimate, b: ResourceEstimate) -> Bool {
        a.cpuCores == b.cpuCores && a.memoryBytes == b.memoryBytes
    }
}

public struct ResourceEstimator: Sendable {
    public var safetyMargin = 0.15
    public var targetPercentile = 0.9
    public var lowerPercentile = 0.5
    public var upperPercentile = 0.95
    /// VPA's pod minimums (25 millicores, 250 MiB), for a one-container pod.
    public var minCPUCores = 0.025
    public var minMemoryBytes = 250.0 * 1024 * 1024

    public init() {}

    /// `lifespanDays`: first to last sample; `samples`: how many CPU samples (a minute each is a
    /// day per 1,440). The confidence is the smaller of the two, in days.
    public func estimate(cpu: DecayingHistogram, memory: DecayingHistogram, lifespanDays: Double, samples: Int) -> ResourceEstimate {
        let confidence = min(lifespanDays, Double(samples) / (60 * 24))
        func bounds(_ h: DecayingHistogram, minimum: Double) -> (Double, Double, Double) {
            let margin = 1 + safetyMargin
            var target = h.percentile(targetPercentile) * margin
            // Upper: × (1 + 1/confidence); lower: × (1 + 0.001/confidence)^-2 (VPA's multipliers).
            var upper = h.percentile(upperPercentile) * margin * (confidence > 0 ? 1 + 1 / confidence : .infinity)
            var lower = h.percentile(lowerPercentile) * margin * (confidence > 0 ? pow(1 + 0.001 / confidence, -2) : 0)
            target = max(target, minimum)
            lower = max(lower, minimum)
            upper = max(upper, minimum)
            return (lower, target, upper)
        }
        return ResourceEstimate(cpuCores: bounds(cpu, minimum: minCPUCores), memoryBytes: bounds(memory, minimum: minMemoryBytes))
    }

    /// After an OOM kill, the memory sample VPA adds: max(used + 100 MiB, used × 1.2).
    public static func oomBump(memoryUsedBytes: Double) -> Double {
        max(memoryUsedBytes + 100 * 1024 * 1024, memoryUsedBytes * 1.2)
    }
}
