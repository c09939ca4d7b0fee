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
        head.index.withLock { idx in
            guard !matchers.isEmpty else { return idx.postings.postings.keys.sorted() }
            let refs = idx.postings.select(matchers)
            var names = Set<String>()
            for ref in refs { head.series(ref: ref)?.labels.pairs.forEach { names.insert($0.name) } }
            return names.sorted()
        }
    }

    public func labelValues(_ name: String, _ matchers: [LabelMatcher]) -> [String] {
        head.index.withLock { idx in
            guard !matchers.isEmpty else { return (idx.postings.postings[name]?.keys).map { $0.sorted() } ?? [] }
            let refs = idx.postings.select(matchers)
            var values = Set<String>()
            for ref in refs { if let v = head.series(ref: ref)?.labels[name] { values.insert(v) } }
            return values.sorted()
        }
    }
}
