import TSDB

/// One endpoint to scrape: its final labels, what discovery found, and how to reach it.
public struct ScrapeTarget: Sendable, Hashable {
    /// The labels every series of the target gets (`job`, `instance`, …; no `__` labels), sorted.
    public let labels: [Label]
    /// The labels discovery produced, before `relabel_configs` (the targets API shows them).
    public let discoveredLabels: [String: String]
    public let url: String
    /// `host:port` the URL points at (`__address__` after relabeling).
    public let address: String
    /// The URL's path and query (`/metrics?module=x`).
    public let pathAndQuery: String
    public let intervalMs: Int64
    public let timeoutMs: Int64

    public init(labels: [Label], discoveredLabels: [String: String], scheme: String, address: String, pathAndQuery: String,
                intervalMs: Int64, timeoutMs: Int64) {
        self.labels = labels.sorted()
        self.discoveredLabels = discoveredLabels
        self.address = address
        self.pathAndQuery = pathAndQuery
        self.url = "\(scheme)://\(address)\(pathAndQuery)"
        self.intervalMs = intervalMs
        self.timeoutMs = timeoutMs
    }

    public subscript(label name: String) -> String? { labels.first { $0.name == name }?.value }

    /// Stable across restarts: spreads scrape start times over the interval.
    public var hash: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ s: String) {
            for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            h = (h ^ 0xff) &* 0x100_0000_01b3
        }
        for l in labels {
            mix(l.name)
            mix(l.value)
        }
        mix(url)
        return h
    }

    /// Delay from `now` to the target's first scrape: its slot in the interval, as Prometheus's
    /// `Target.offset` places it (hash of the target xor a per-instance seed, modulo the interval).
    public func offsetMs(now: Int64, seed: UInt64) -> Int64 {
        let interval = max(1, intervalMs)
        let base = interval - now % interval
        let slot = Int64((hash ^ seed) % UInt64(interval))
        var next = base + slot
        if next > interval { next -= interval }
        return next
    }
}
