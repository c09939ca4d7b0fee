import TSDB

/// A target's series, keyed by the raw bytes of each exposition line's series text
/// (`name{labels}` exactly as exposed). On a steady-state scrape every line is a cache hit:
/// no label parsing, no label hashing, no index lookup, no allocation.
public struct SeriesCache: Sendable {
    struct Entry: Sendable {
        var key: [UInt8]
        var series: MemSeries
    }

    private var entries: [UInt64: Entry] = [:]
    /// Entries whose hash collided with another's key (rare).
    private var overflow: [UInt64: [Entry]] = [:]

    public init() {}

    public var count: Int { entries.count + overflow.values.reduce(0) { $0 + $1.count } }

    @inlinable
    func keyEquals(_ key: [UInt8], _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard key.count == range.count else { return false }
        return key.withUnsafeBytes { k in
            memcmpEqual(k.baseAddress!, UnsafeRawPointer(bytes.baseAddress! + range.lowerBound), range.count)
        }
    }

    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> MemSeries? {
        if let e = entries[hash], keyEquals(e.key, bytes, range) { return e.series }
        return overflow[hash]?.first { keyEquals($0.key, bytes, range) }?.series
    }

    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64, series: MemSeries) {
        let entry = Entry(key: Array(bytes[range]), series: series)
        if let existing = entries[hash], !keyEquals(existing.key, bytes, range) {
            overflow[hash, default: []].append(entry)
        } else {
            entries[hash] = entry
        }
    }

    public mutating func removeAll() {
        entries.removeAll()
        overflow.removeAll()
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inlinable func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ n: Int) -> Bool {
    memcmp(a, b, n) == 0
}
