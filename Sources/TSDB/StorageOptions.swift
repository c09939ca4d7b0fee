/// How the store keeps data: where (nil for memory only), for how long, in how many bytes,
/// and how often the WAL is written out and the head snapshotted.
public struct StorageOptions: Sendable, Hashable {
    public var path: String?
    /// `storage.retention`, default 24h.
    public var retentionMs: Int64
    /// `storage.max_bytes`: budget for stored samples; nil for no limit.
    public var maxBytes: Int?
    /// `storage.wal_flush_interval`, default 1s.
    public var walFlushIntervalMs: Int64
    /// How often a snapshot replaces the WAL written so far (default 15m).
    public var snapshotIntervalMs: Int64

    public init(
        path: String? = nil, retentionMs: Int64 = 24 * 3_600_000, maxBytes: Int? = nil,
        walFlushIntervalMs: Int64 = 1_000, snapshotIntervalMs: Int64 = 15 * 60_000
    ) {
        self.path = path
        self.retentionMs = retentionMs
        self.maxBytes = maxBytes
        self.walFlushIntervalMs = walFlushIntervalMs
        self.snapshotIntervalMs = snapshotIntervalMs
    }
}
