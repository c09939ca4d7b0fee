/// What one retention pass removed.
public struct RetentionResult: Sendable, Equatable {
    public var chunksRemoved = 0
    public var seriesRemoved = 0
    public var bytesAfter = 0
}

extension Head {
    /// Bytes held by stored samples (sealed and open chunks) across all series.
    public var chunkBytes: Int {
        allSeries().reduce(0) { n, s in n + s.state.withLock { $0.byteCount } }
    }

    /// Drops chunks whose samples all lie before `minTime`, oldest first; series left without
    /// samples leave the index. The open chunk goes too once all of it is older.
    @discardableResult
    public func truncate(before minTime: Int64) -> RetentionResult {
        var result = RetentionResult()
        var emptied: [MemSeries] = []
        for series in allSeries() {
            let (removed, isEmpty, bytes) = series.state.withLock { s -> (Int, Bool, Int) in
                var n = 0
                while let first = s.sealed.first, first.maxTime < minTime {
                    s.sealed.removeFirst()
                    n += 1
                }
                if s.sealed.isEmpty, let h = s.head, h.maxTime < minTime {
                    s.head = nil
                    n += 1
                }
                let empty = s.sealed.isEmpty && (s.head == nil || s.head!.count == 0) && s.pendingMaxTime == .min
                if empty { s.removed = true }
                return (n, empty, s.byteCount)
            }
            result.chunksRemoved += removed
            result.bytesAfter += bytes
            if isEmpty { emptied.append(series) }
        }
        remove(emptied)
        result.seriesRemoved = emptied.count
        pruneInternerIfChurned(removed: emptied.count)
        return result
    }

    /// Label strings of removed series would stay interned forever under churn (pod names,
    /// model ids). Once a tenth of the series have gone, rebuild the table from live series:
    /// one pass over the labels, paid rarely.
    private func pruneInternerIfChurned(removed: Int) {
        guard removed > 0 else { return }
        let total = removedSinceInternerPrune.add(removed, ordering: .relaxed).newValue
        guard total >= max(1_000, seriesCount / 10) else { return }
        removedSinceInternerPrune.store(0, ordering: .relaxed)
        var strings = Set<String>()
        for series in allSeries() {
            for label in series.labels.pairs {
                if LabelInterner.isInterned(label.name) { strings.insert(label.name) }
                if LabelInterner.isInterned(label.value) { strings.insert(label.value) }
            }
        }
        LabelInterner.shared.prune(keeping: strings)
    }

    /// Drops the oldest chunks across all series until stored bytes fit `maxBytes`.
    @discardableResult
    public func enforce(maxBytes: Int) -> RetentionResult {
        var ends: [(maxTime: Int64, bytes: Int)] = []
        var total = 0
        for series in allSeries() {
            series.state.withLock { s in
                for i in 0..<s.sealed.count { ends.append((s.sealed[i].maxTime, s.sealed[i].bytes.count)) }
                if let h = s.head { ends.append((h.maxTime, h.byteCount)) }
                total += s.byteCount
            }
        }
        guard total > maxBytes else { return RetentionResult(bytesAfter: total) }
        ends.sort { $0.maxTime < $1.maxTime }
        var excess = total - maxBytes
        var cutoff = Int64.min
        for e in ends {
            excess -= e.bytes
            cutoff = e.maxTime
            if excess <= 0 { break }
        }
        return truncate(before: cutoff == .max ? .max : cutoff + 1)
    }

    private func remove(_ series: [MemSeries]) {
        guard !series.isEmpty else { return }
        var refs = Set<SeriesRef>()
        var labelsOf: [SeriesRef: Labels] = [:]
        for s in series {
            let hash = s.labels.stableHash
            shards[Int(hash % UInt64(Self.shardCount))].state.withLock { $0.remove(hash, s) }
            refShard(s.ref).state.withLock { $0.byRef[s.ref] = nil }
            refs.insert(s.ref)
            labelsOf[s.ref] = s.labels
        }
        index.withLock { $0.postings.remove(refs, labelsOf) }
    }
}
