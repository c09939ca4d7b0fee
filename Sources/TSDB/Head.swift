import Synchronization

/// The in-memory store: series sharded by label hash behind one lock per shard, and the postings
/// index. Samples live in each series' chunk ring, under the series' own lock.
public final class Head: Sendable {
    static let shardCount = 64

    let shards: [HeadShard]
    let index = Mutex(IndexState())
    /// Latest sample time committed, for the "too old" bound.
    let maxTime = Atomic<Int64>(.min)
    /// Samples committed since start-up (restored ones not counted).
    let appendedSamples = Atomic<Int>(0)
    let commitObservers = CommitObservers()
    /// Series removed by retention since the interner was last pruned.
    let removedSinceInternerPrune = Atomic<Int>(0)
    /// Samples older than `maxTime - retentionMs` are rejected as too old.
    public let retentionMs: Int64

    struct IndexState: Sendable {
        var postings = PostingsIndex()
        var nextRef: SeriesRef = 1
    }

    public init(retentionMs: Int64) {
        self.retentionMs = retentionMs
        shards = (0..<Self.shardCount).map { _ in HeadShard() }
    }

    public var seriesCount: Int { shards.reduce(0) { n, s in n + s.state.withLock { $0.byRef.count } } }

    /// The latest timestamp committed to any series.
    public var latestTime: Int64 { maxTime.load(ordering: .relaxed) }

    /// Samples committed through appenders since start-up.
    public var samplesAppended: Int { appendedSamples.load(ordering: .relaxed) }

    /// The series with exactly these labels, created (and indexed) when new.
    public func getOrCreate(_ labels: Labels) -> (series: MemSeries, created: Bool) {
        let hash = labels.stableHash
        let shard = shards[Int(hash % UInt64(Self.shardCount))]
        if let found = shard.state.withLock({ $0.lookup(hash, labels) }) { return (found, false) }
        return create(labels, hash: hash, ref: nil)
    }

    /// Recreates a series under a known ref (snapshot restore and WAL replay).
    @discardableResult func restore(_ labels: Labels, ref: SeriesRef) -> MemSeries {
        create(labels, hash: labels.stableHash, ref: ref).series
    }

    private func create(_ labels: Labels, hash: UInt64, ref fixedRef: SeriesRef?) -> (series: MemSeries, created: Bool) {
        let shard = shards[Int(hash % UInt64(Self.shardCount))]
        let result = shard.state.withLock { state -> (series: MemSeries, created: Bool) in
            if let found = state.lookup(hash, labels) { return (found, false) }
            let series = index.withLock { idx in
                let ref = fixedRef ?? idx.nextRef
                idx.nextRef = max(idx.nextRef, ref + 1)
                let s = MemSeries(ref: ref, labels: labels)
                idx.postings.add(ref, labels)
                return s
            }
            state.insert(hash, series)
            return (series, true)
        }
        // Lock order is never shard-inside-shard: the ref shard may be the hash shard.
        if result.created {
            refShard(result.series.ref).state.withLock { $0.byRef[result.series.ref] = result.series }
        }
        return result
    }

    func refShard(_ ref: SeriesRef) -> HeadShard { shards[Int(ref % UInt64(Self.shardCount))] }

    public func series(ref: SeriesRef) -> MemSeries? {
        refShard(ref).state.withLock { $0.byRef[ref] }
    }

    func noteCommitted(maxTime t: Int64) {
        var current = maxTime.load(ordering: .relaxed)
        while t > current {
            let (exchanged, original) = maxTime.compareExchange(expected: current, desired: t, ordering: .relaxed)
            if exchanged { break }
            current = original
        }
    }

    /// Every series, in no particular order.
    func allSeries() -> [MemSeries] {
        var out: [MemSeries] = []
        for shard in shards { shard.state.withLock { out.append(contentsOf: $0.byRef.values) } }
        return out
    }
}

final class HeadShard: Sendable {
    let state = Mutex(ShardState())
}

struct ShardState: Sendable {
    /// One series per hash; the rare second series with an equal hash goes to `collisions`.
    var byHash: [UInt64: MemSeries] = [:]
    var collisions: [UInt64: [MemSeries]] = [:]
    var byRef: [SeriesRef: MemSeries] = [:]

    func lookup(_ hash: UInt64, _ labels: Labels) -> MemSeries? {
        if let s = byHash[hash], s.labels == labels { return s }
        return collisions[hash]?.first { $0.labels == labels }
    }

    mutating func insert(_ hash: UInt64, _ series: MemSeries) {
        if byHash[hash] == nil {
            byHash[hash] = series
        } else {
            collisions[hash, default: []].append(series)
        }
    }

    mutating func remove(_ hash: UInt64, _ series: MemSeries) {
        if byHash[hash] === series {
            if var list = collisions[hash], !list.isEmpty {
                byHash[hash] = list.removeFirst()
                collisions[hash] = list.isEmpty ? nil : list
            } else {
                byHash[hash] = nil
            }
        } else {
            collisions[hash]?.removeAll { $0 === series }
            if collisions[hash]?.isEmpty == true { collisions[hash] = nil }
        }
    }
}
