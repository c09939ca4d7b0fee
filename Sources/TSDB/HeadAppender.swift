/// The `Appender` of a `Head`, optionally logging commits to a write-ahead log.
/// One appender serves one writer at a time; make one per scrape loop or request.
public final class HeadAppender: Appender {
    let head: Head
    let wal: WAL?
    private var pending: [PendingSample] = []
    private var created: [MemSeries] = []
    private var record: [UInt8] = []

    struct PendingSample {
        var series: MemSeries
        var t: Int64
        var v: Double
    }

    init(head: Head, wal: WAL?) {
        self.head = head
        self.wal = wal
    }

    /// Samples waiting for `commit()`.
    public var pendingCount: Int { pending.count }

    @discardableResult
    public func append(_ labels: Labels, _ timestampMs: Int64, _ value: Double) throws(AppendError) -> MemSeries {
        let (series, isNew) = head.getOrCreate(labels)
        if isNew { created.append(series) }
        try append(series, timestampMs, value)
        return series
    }

    public func series(for labels: Labels) -> MemSeries {
        let (series, isNew) = head.getOrCreate(labels)
        if isNew { created.append(series) }
        return series
    }

    public func append(_ series: MemSeries, _ t: Int64, _ v: Double) throws(AppendError) {
        let latest = head.maxTime.load(ordering: .relaxed)
        if latest != .min, t < latest &- head.retentionMs {
            throw .tooOld(series: series.labels, timestamp: t, minValid: latest &- head.retentionMs)
        }
        let accepted = try series.state.withLock { (s) throws(AppendError) -> Bool in
            let last = s.effectiveMaxTime
            if t < last { throw .outOfOrder(series: series.labels, timestamp: t, latest: last) }
            if t == last {
                let lastBits = s.pendingMaxTime == last ? s.pendingValueBits : s.lastValueBits
                if lastBits == v.bitPattern { return false }
                throw .duplicateTimestamp(series: series.labels, timestamp: t)
            }
            s.pendingMaxTime = t
            s.pendingValueBits = v.bitPattern
            return true
        }
        if accepted { pending.append(PendingSample(series: series, t: t, v: v)) }
    }

    public func commit() {
        var batchMax = Int64.min
        pending.withUnsafeMutableBufferPointer { batch in
            for i in batch.indices {
                let t = batch[i].t
                let v = batch[i].v
                let applied = batch[i].series.state.withLock { s -> Bool in
                    if s.pendingMaxTime == t { s.pendingMaxTime = .min }
                    guard !s.removed else { return false }
                    if t > s.maxTime { s.appendCommitted(t, v) }
                    return true
                }
                if !applied { batch[i].series = revive(batch[i].series, t, v) }
                if t > batchMax { batchMax = t }
            }
        }
        if batchMax != .min { head.noteCommitted(maxTime: batchMax) }
        head.appendedSamples.add(pending.count, ordering: .relaxed)
        if !head.commitObservers.isEmpty && !pending.isEmpty {
            head.commitObservers.notify(pending.map { CommittedSample(series: $0.series, timestampMs: $0.t, value: $0.v) })
        }
        if let wal {
            record.removeAll(keepingCapacity: true)
            WALRecord.encodeSeries(created, into: &record)
            WALRecord.encodeSamples(pending, into: &record)
            wal.log(record)
        }
        pending.removeAll(keepingCapacity: true)
        created.removeAll(keepingCapacity: true)
    }

    /// Retention removed `series` between append and commit: bring it back with the sample.
    private func revive(_ series: MemSeries, _ t: Int64, _ v: Double) -> MemSeries {
        let (revived, isNew) = head.getOrCreate(series.labels)
        if isNew { created.append(revived) }
        revived.state.withLock { s in if t > s.maxTime { s.appendCommitted(t, v) } }
        return revived
    }

    public func rollback() {
        for p in pending {
            p.series.state.withLock { s in if s.pendingMaxTime == p.t { s.pendingMaxTime = .min } }
        }
        // Series created by the batch stay, as in Prometheus; log them so refs survive a restart.
        if let wal, !created.isEmpty {
            record.removeAll(keepingCapacity: true)
            WALRecord.encodeSeries(created, into: &record)
            wal.log(record)
        }
        pending.removeAll(keepingCapacity: true)
        created.removeAll(keepingCapacity: true)
    }
}
