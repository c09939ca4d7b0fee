import Logging
import ServiceLifecycle
import TSDB

/// Runs the store's housekeeping in a `ServiceGroup`: flush the WAL every `wal_flush_interval`,
/// apply retention every minute, snapshot every snapshot interval; on graceful shutdown
/// (SIGTERM) flush and snapshot so nothing is lost.
public struct StorageService: Service {
    public let storage: Storage
    let logger: Logger
    let now: @Sendable () -> Int64

    public init(storage: Storage, logger: Logger, now: @escaping @Sendable () -> Int64) {
        self.storage = storage
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        let options = storage.options
        var sinceRetention: Int64 = 0
        var sinceSnapshot: Int64 = 0
        let tick = max(1, options.walFlushIntervalMs)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(tick)) }
            } catch {
                break
            }
            do {
                try storage.flushWAL()
                sinceRetention += tick
                sinceSnapshot += tick
                if sinceRetention >= 60_000 {
                    sinceRetention = 0
                    storage.applyRetention(now: now())
                }
                if sinceSnapshot >= options.snapshotIntervalMs {
                    sinceSnapshot = 0
                    try storage.snapshot()
                }
            } catch {
                logger.error("storage: \(error)")
            }
        }
        try storage.close()
        logger.info("storage: flushed and snapshotted on shutdown")
    }
}
