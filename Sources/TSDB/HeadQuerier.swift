/// The `Querier` over a `Head`.
public struct HeadQuerier: Querier {
    let head: Head

    public init(head: Head) { self.head = head }

    public func select(_ matchers: [LabelMatcher], minTime: Int64, maxTime: Int64) -> [StoredSeries] {
        let refs = head.index.withLock { $0.postings.select(matchers) }
        var out: [StoredSeries] = []
        out.reserveCapacity(refs.count)
        for ref in refs {
            guard let series = head.series(ref: ref) else { continue }
            let chunks = series.state.withLock { s -> [Chunk] in
                var picked: [Chunk] = []
                for i in 0..<s.sealed.count {
                    let c = s.sealed[i]
                    if c.maxTime >= minTime && c.minTime <= maxTime { picked.append(c) }
                }
                if let h = s.head, h.count > 0, h.maxTime >= minTime, h.minTime <= maxTime { picked.append(h.chunk()) }
                return picked
            }
            guard !chunks.isEmpty else { continue }
            out.append(StoredSeries(ref: ref, labels: series.labels, chunks: chunks, minTime: minTime, maxTime: maxTime))
        }
        out.sort { $0.labels < $1.labels }
        return out
    }

    public func labelNames(_ matchers: [LabelMatcher]) -> [String] {
        guard !matchers.isEmpty else { return head.index.withLock { $0.postings.postings.keys.sorted() } }
        var names = Set<String>()
        for series in selectedSeries(matchers) { series.labels.pairs.forEach { names.insert($0.name) } }
        return names.sorted()
    }

    public func labelValues(_ name: String, _ matchers: [LabelMatcher]) -> [String] {
        guard !matchers.isEmpty else {
            return head.index.withLock { ($0.postings.postings[name]?.keys).map { $0.sorted() } ?? [] }
        }
        var values = Set<String>()
        for series in selectedSeries(matchers) { if let v = series.labels[name] { values.insert(v) } }
        return values.sorted()
    }

    /// The series the matchers select. The refs are read under the index lock and the series looked
    /// up after it is released: series creation takes a shard lock and then the index lock, so
    /// holding the index lock while taking a shard lock could deadlock.
    private func selectedSeries(_ matchers: [LabelMatcher]) -> [MemSeries] {
        let refs = head.index.withLock { $0.postings.select(matchers) }
        return refs.compactMap { head.series(ref: $0) }
    }
}
