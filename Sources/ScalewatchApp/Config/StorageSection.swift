import ConfigSupport
import TSDB

/// The `storage` section: where and how long the embedded store keeps samples.
public struct StorageSection: Sendable, Equatable {
    public var path = "data/"
    public var retention = ConfigDuration(milliseconds: 24 * 3_600_000)
    /// Budget for stored samples in bytes; nil for no limit.
    public var maxBytes: Int64? = nil
    public var walFlushInterval = ConfigDuration(milliseconds: 1_000)

    public init() {}

    init(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["path", "retention", "max_bytes", "wal_flush_interval"]) else { return }
        if let p = m["path"]?.string { path = node.document.resolvePath(p) }
        if let d = m["retention"]?.nonZeroDuration { retention = d }
        if let n = m["max_bytes"] {
            if case .scalar = n.node, let v = Int64(n.string ?? "") {
                maxBytes = v > 0 ? v : nil
            } else if let v = n.byteSize {
                maxBytes = v > 0 ? v : nil
            }
        }
        if let d = m["wal_flush_interval"]?.nonZeroDuration { walFlushInterval = d }
    }

    /// The store's options for this section.
    public var options: StorageOptions {
        StorageOptions(
            path: path, retentionMs: retention.milliseconds, maxBytes: maxBytes.map { Int($0) },
            walFlushIntervalMs: walFlushInterval.milliseconds)
    }
}
