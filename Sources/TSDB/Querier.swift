/// Reads series by label matchers and time range. PromQL, remote read, federation and the HTTP
/// API all read through it.
public protocol Querier: Sendable {
    /// Series matching every matcher with samples in `[minTime, maxTime]`, sorted by labels.
    func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) -> [StoredSeries]
    /// Label names of the series the matchers select (all series when empty), sorted.
    func labelNames(_ matchers: [LabelMatcher]) -> [String]
    /// Values of label `name` among the series the matchers select, sorted.
    func labelValues(_ name: String, _ matchers: [LabelMatcher]) -> [String]
}

/// One selected series: its labels and the stored chunks that overlap the asked range.
/// Chunks are shared, not copied; samples are decoded only when iterated.
public struct StoredSeries: Sendable {
    public let ref: SeriesRef
    public let labels: Labels
    /// Whole stored chunks overlapping the range, oldest first, as remote read streams them.
    public let chunks: [Chunk]
    public let minTime: Int64
    public let maxTime: Int64

    public func makeIterator() -> SeriesSampleIterator {
        SeriesSampleIterator(chunks: chunks, minTime: minTime, maxTime: maxTime)
    }

    /// All samples in range, decoded (convenient for tests and small reads).
    public func samples() -> [(t: Int64, v: Double)] {
        var out: [(t: Int64, v: Double)] = []
        var it = makeIterator()
        while it.next() { out.append((it.timestamp, it.value)) }
        return out
    }
}

/// Walks the samples of a series' chunks within `[minTime, maxTime]`.
public struct SeriesSampleIterator: Sendable {
    private let chunks: [Chunk]
    private let minTime: Int64
    private let maxTime: Int64
    private var chunkIndex = 0
    private var current: XORChunkIterator?
    public private(set) var timestamp: Int64 = 0
    public private(set) var value: Double = 0

    init(chunks: [Chunk], minTime: Int64, maxTime: Int64) {
        self.chunks = chunks
        self.minTime = minTime
        self.maxTime = maxTime
        self.current = chunks.first.map { $0.makeIterator() }
    }

    public mutating func next() -> Bool {
        while current != nil {
            if current!.next() {
                let t = current!.timestamp
                if t < minTime { continue }
                if t > maxTime {
                    current = nil
                    return false
                }
                timestamp = t
                value = current!.value
                return true
            }
            chunkIndex += 1
            current = chunkIndex < chunks.count ? chunks[chunkIndex].makeIterator() : nil
        }
        return false
    }
}

extension Labels: Comparable {
    public static func < (lhs: Labels, rhs: Labels) -> Bool {
        for (a, b) in zip(lhs.pairs, rhs.pairs) where a != b {
            return a.name != b.name ? a.name < b.name : a.value < b.value
        }
        return lhs.pairs.count < rhs.pairs.count
    }
}
