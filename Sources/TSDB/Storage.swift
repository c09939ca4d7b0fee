import Logging

/// The embedded store: a `Head` in memory, made durable by a WAL and periodic snapshots in
/// `options.path`. Opening restores the newest good snapshot, then replays the WAL after it.
/// The store reads no clock: callers pass `now` to retention, so tests and backtests control time.
public final class Storage: Sendable {
    public let options: StorageOptions
    public let head: Head
    let wal: WAL?
    let logger: Logger
    /// What the last open restored.
    public let restoreStats: RestoreStats

    /// Figures from opening the store.
    public struct RestoreStats: Sendable, Equatable {
        public var seriesFromSnapshot = 0
        public var seriesFromWAL = 0
        public var samplesFromWAL = 0
        public var samplesSkipped = 0
    }

    public init(options: StorageOptions, logger: Logger = Logger(label: "scalewatch.tsdb")) throws(StorageError) {
        self.options = options
        self.logger = logger
        head = Head(retentionMs: options.retentionMs)
        guard let path = options.path else {
            wal = nil
            restoreStats = RestoreStats()
            return
        }
        try FileIO.makeDirectory(path)
        var stats = RestoreStats()
        let walDirectory = path + "/wal"
        var firstSegment = 0
        let snapshots = FileIO.list(path).compactMap { name in Snapshot.segment(ofFileName: name).map { (name, $0) } }
        if let (name, covered) = snapshots.max(by: { $0.1 < $1.1 }) {
            let file = path + "/" + name
            do {
                stats.seriesFromSnapshot = Snapshot.restore(try FileIO.readAll(file), path: file, into: head, logger: logger)
                firstSegment = covered
            } catch {
                logger.warning("snapshot \(file): \(error); replaying the whole WAL instead")
            }
        }
        var replay = WALReplay()
        let segments = WAL.segments(in: walDirectory)
        for segment in segments where segment >= firstSegment {
            replay.replay(segment: WAL.segmentPath(walDirectory, segment), into: head, logger: logger)
        }
        stats.seriesFromWAL = replay.seriesRestored
        stats.samplesFromWAL = replay.samplesRestored
        stats.samplesSkipped = replay.samplesSkipped
        restoreStats = stats
        wal = try WAL(directory: walDirectory, startingAfter: max(segments.last ?? 0, firstSegment))
    }

    /// Bytes of WAL on disk plus those waiting for the next flush (0 in memory-only mode).
    public var walBytes: Int { (wal?.diskBytes ?? 0) + (wal?.pendingBytes ?? 0) }

    /// Bytes logged and waiting for the next WAL flush.
    public var walPendingBytes: Int { wal?.pendingBytes ?? 0 }

    /// Calls `observer` with every batch committed from now on (remote write's feed).
    public func addCommitObserver(_ observer: @escaping CommitObserver) { head.commitObservers.add(observer) }

    /// A new batch appender.
    public func appender() -> HeadAppender { HeadAppender(head: head, wal: wal) }

    public func querier() -> HeadQuerier { HeadQuerier(head: head) }

    /// Writes the WAL buffer to disk (the periodic `wal_flush_interval` task).
    public func flushWAL() throws(StorageError) { try wal?.flush() }

    /// Writes a snapshot of the head and deletes the WAL segments it covers.
    public func snapshot() throws(StorageError) {
        guard let path = options.path, let wal else { return }
        let segment = try wal.cut()
        let bytes = Snapshot.encode(head)
        try FileIO.writeFileAtomically(path + "/" + Snapshot.fileName(segment), bytes)
        for name in FileIO.list(path) {
            if let s = Snapshot.segment(ofFileName: name), s < segment { FileIO.remove(path + "/" + name) }
            if name.hasSuffix(".tmp") && name.hasPrefix("snapshot-") && name != Snapshot.fileName(segment) {
                FileIO.remove(path + "/" + name)
            }
        }
        wal.removeSegments(before: segment)
    }

    /// Applies time retention relative to `now` and then the byte budget.
    @discardableResult
    public func applyRetention(now: Int64) -> RetentionResult {
        var result = head.truncate(before: now - options.retentionMs)
        if let maxBytes = options.maxBytes {
            let more = head.enforce(maxBytes: maxBytes)
            result.chunksRemoved += more.chunksRemoved
            result.seriesRemoved += more.seriesRemoved
            result.bytesAfter = more.bytesAfter
        }
        return result
    }

    /// Flushes the WAL and writes a final snapshot: a clean shutdown loses nothing and restarts fast.
    public func close() throws(StorageError) {
        guard wal != nil else { return }
        try snapshot()
        try wal?.close()
    }
}
