import Prometheus
import Synchronization
import TSDB

#if canImport(Glibc)
import Glibc
#endif

/// Scalewatch's own metrics: everything recorded through swift-metrics into `registry`, plus
/// the store's figures read at collection time, named `scalewatch_<module>_<what>_<unit>`.
public final class SelfMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let storage: Storage
    let headSeries: Gauge
    let chunkBytes: Gauge
    let walBytes: Gauge
    let appended: Counter
    let memoryChunks: Gauge
    let memoryWALBuffer: Gauge
    let memoryResident: Gauge
    let memoryScrapeCaches: Gauge
    /// Bytes of the scrape caches of every target, read at collection time.
    let scrapeCacheBytes: @Sendable () -> Int
    let reported = Mutex<Int>(0)

    public init(registry: PrometheusCollectorRegistry, storage: Storage, scrapeCacheBytes: @escaping @Sendable () -> Int = { 0 }) {
        self.registry = registry
        self.storage = storage
        self.scrapeCacheBytes = scrapeCacheBytes
        func name(_ subsystem: String, _ what: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: "scalewatch", subsystem: subsystem, metricName: what, unitName: unit, helpText: help)
        }
        headSeries = registry.makeGauge(descriptor: name("tsdb", "head", "series", "Series in the in-memory head."))
        chunkBytes = registry.makeGauge(descriptor: name("tsdb", "chunk", "bytes", "Bytes of stored XOR chunks."))
        walBytes = registry.makeGauge(descriptor: name("tsdb", "wal", "bytes", "Bytes of write-ahead log on disk and waiting to be flushed."))
        appended = registry.makeCounter(descriptor: name("tsdb", "samples_appended", "total", "Samples committed to the store."))
        let memory = name("", "memory", "bytes", "Bytes of memory by component (chunks, WAL buffer and scrape caches as held; process is the resident set).")
        memoryChunks = registry.makeGauge(descriptor: memory, labels: [("component", "tsdb_chunks")])
        memoryWALBuffer = registry.makeGauge(descriptor: memory, labels: [("component", "wal_buffer")])
        memoryResident = registry.makeGauge(descriptor: memory, labels: [("component", "process_resident")])
        memoryScrapeCaches = registry.makeGauge(descriptor: memory, labels: [("component", "scrape_caches")])
    }

    /// The exposition of every metric, refreshed now.
    public func collect() -> [UInt8] {
        let bytes = storage.head.chunkBytes
        headSeries.set(Double(storage.head.seriesCount))
        chunkBytes.set(Double(bytes))
        walBytes.set(Double(storage.walBytes))
        memoryChunks.set(Double(bytes))
        memoryWALBuffer.set(Double(storage.walPendingBytes))
        memoryResident.set(Double(Self.residentBytes()))
        memoryScrapeCaches.set(Double(scrapeCacheBytes()))
        let total = storage.head.samplesAppended
        reported.withLock { last in
            if total > last { appended.increment(by: Int64(total - last)) }
            last = total
        }
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }

    /// Resident set size from `/proc/self/statm` (pages × page size); 0 where unavailable.
    static func residentBytes() -> Int {
        guard let f = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(f) }
        var size = 0, resident = 0
        guard fscanf_two(f, &size, &resident) == 2 else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func fscanf_two(_ f: UnsafeMutablePointer<FILE>, _ a: inout Int, _ b: inout Int) -> Int {
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, 256, f) != nil else { return 0 }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fields = text.split(separator: " ").compactMap { Int($0) }
        guard fields.count >= 2 else { return 0 }
        a = fields[0]
        b = fields[1]
        return 2
    }
}
