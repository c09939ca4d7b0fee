import Logging
import Metrics
import TSDB

/// The store's periodic work: flush the WAL every `wal_flush_interval` (timed into
/// `scalewatch_tsdb_wal_flush_duration_seconds`; failures count in
/// `scalewatch_tsdb_wal_write_errors_total`), apply retention every minute, and replace the WAL
/// with a snapshot every snapshot interval. Runs until cancelled.
struct StorageHousekeeping: Sendable {
    let storage: Storage
    let logger: Logger
    let now: @Sendable () -> Int64

    func run() async {
        let options = storage.options
        var sinceRetention: Int64 = 0
        var sinceSnapshot: Int64 = 0
        let tick = max(1, options.walFlushIntervalMs)
        let flushTimer = Metrics.Timer(label: "scalewatch_tsdb_wal_flush_duration_seconds")
        let failures = Counter(label: "scalewatch_tsdb_wal_write_errors_total")
        let clock = ContinuousClock()
        while !Task.isCancelled {
            do { try await Task.sleep(for: .milliseconds(tick)) } catch { return }
            do {
                let began = clock.now
                try storage.flushWAL()
                flushTimer.recordNanoseconds(nanoseconds(clock.now - began))
                sinceRetention += tick
                sinceSnapshot += tick
                if sinceRetention >= 60_000 {
                    sinceRetention = 0
                    let result = storage.applyRetention(now: now())
                    if result.chunksRemoved > 0 {
                        logger.debug("retention", metadata: ["chunks": "\(result.chunksRemoved)", "series": "\(result.seriesRemoved)"])
                    }
                }
                if sinceSnapshot >= options.snapshotIntervalMs {
                    sinceSnapshot = 0
                    try storage.snapshot()
                }
            } catch {
                failures.increment()
                logger.error("storage: \(error)")
            }
        }
    }
}

func nanoseconds(_ d: Duration) -> Int64 {
    d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000
}
