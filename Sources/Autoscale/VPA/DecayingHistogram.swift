#if canImport(Glibc)
import Glibc
#endif

/// The VPA recommender's histogram: exponential buckets (each 5 % wider than the one before)
/// whose samples lose half their weight every half-life (24 h), so recent usage counts most.
public struct DecayingHistogram: Sendable, Equatable, Codable {
    /// Bucket geometry: the first bucket's size, the growth ratio and the largest value.
    public struct Options: Sendable, Equatable, Codable {
        public let firstBucketSize: Double
        public let ratio: Double
        public let buckets: Int

        public init(maxValue: Double, firstBucketSize: Double, ratio: Double = 1.05) {
            self.firstBucketSize = firstBucketSize
            self.ratio = ratio
            buckets = Int((log(maxValue * (ratio - 1) / firstBucketSize + 1) / log(ratio)).rounded(.up)) + 1
        }

        /// VPA's CPU histogram: 10 millicores to 1,000 cores.
        public static let cpu = Options(maxValue: 1000, firstBucketSize: 0.01)
        /// VPA's memory histogram: 10 MB to 1 TB.
        public static let memory = Options(maxValue: 1e12, firstBucketSize: 1e7)

        public func bucket(for value: Double) -> Int {
            if value < firstBucketSize { return 0 }
            let b = Int((log(value * (ratio - 1) / firstBucketSize + 1) / log(ratio)).rounded(.down))
            return min(max(0, b), buckets - 1)
        }

        public func bucketStart(_ b: Int) -> Double {
            b == 0 ? 0 : firstBucketSize * (pow(ratio, Double(b)) - 1) / (ratio - 1)
        }
    }

    public let options: Options
    public let halfLifeMs: Int64
    public private(set) var weights: [Int: Double] = [:]
    public private(set) var totalWeight = 0.0
    /// The time whose samples weigh as they were added; later ones weigh more (2^(Δt/half-life)).
    public private(set) var referenceMs: Int64 = 0

    public init(options: Options, halfLifeMs: Int64 = 24 * 3_600_000) {
        self.options = options
        self.halfLifeMs = halfLifeMs
    }

    public var isEmpty: Bool { totalWeight < 1e-10 }

    public mutating func add(_ value: Double, weight: Double, atMs t: Int64) {
        // Keep exponents small: move the reference forward when samples get far ahead of it.
        let maxExponent = 100.0
        if Double(t - referenceMs) / Double(halfLifeMs) > maxExponent { shiftReference(to: t) }
        let w = weight * pow(2, Double(t - referenceMs) / Double(halfLifeMs))
        let b = options.bucket(for: value)
        weights[b, default: 0] += w
        totalWeight += w
    }

    /// Subtracts a sample added earlier (memory peaks are replaced within their interval).
    public mutating func subtract(_ value: Double, weight: Double, atMs t: Int64) {
        let w = weight * pow(2, Double(t - referenceMs) / Double(halfLifeMs))
        let b = options.bucket(for: value)
        weights[b, default: 0] = max(0, weights[b, default: 0] - w)
        totalWeight = max(0, totalWeight - w)
        if weights[b] == 0 { weights[b] = nil }
    }

    private mutating func shiftReference(to t: Int64) {
        let factor = pow(2, -Double(t - referenceMs) / Double(halfLifeMs))
        for (b, w) in weights { weights[b] = w * factor }
        totalWeight *= factor
        referenceMs = t
    }

    /// VPA's percentile: the end of the bucket where the cumulative weight reaches p of the total
    /// (the start of the last bucket, which has no end).
    public func percentile(_ p: Double) -> Double {
        guard !isEmpty else { return 0 }
        let threshold = p * totalWeight
        var partial = 0.0
        let used = weights.keys.sorted()
        var bucket = used.last!
        for b in used {
            partial += weights[b]!
            if partial >= threshold {
                bucket = b
                break
            }
        }
        return bucket < options.buckets - 1 ? options.bucketStart(bucket + 1) : options.bucketStart(bucket)
    }
}
