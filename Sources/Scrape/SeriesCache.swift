import TSDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A target's series, keyed by the raw bytes of each exposition line's series text
/// (`name{labels}` exactly as exposed). On a steady-state scrape every line is a cache hit:
/// no label parsing, no label hashing, no index lookup, no allocation.
///
/// An open-addressing table over the caller's `fastHash` (no second hashing), with every key
/// in one byte arena, so a lookup is one slot probe, one hash compare and one `memcmp`.
public struct SeriesCache: Sendable {
    struct Entry: Sendable {
        var hash: UInt64
        var keyStart: Int
        var keyCount: Int
        var series: MemSeries
    }

    private var entries: [Entry] = []
    /// Indexes into `entries`, -1 for empty; the count is a power of two at most half full.
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var arena: [UInt8] = []

    public init() {}

    public var count: Int { entries.count }

    /// The series cached for `bytes[range]`, whose `fastHash` is `hash`.
    @inline(__always)
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> MemSeries? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                let mask = slots.count &- 1
                var i = Int(truncatingIfNeeded: hash) & mask
                while true {
                    let e = Int(slots[i])
                    if e < 0 { return nil }
                    let entry = entries[e]
                    if entry.hash == hash, entry.keyCount == range.count, keyEquals(entry.keyStart, bytes, range) {
                        return entry.series
                    }
                    i = (i &+ 1) & mask
                }
            }
        }
    }

    @inline(__always)
    private func keyEquals(_ start: Int, _ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        arena.withUnsafeBufferPointer { a in
            memcmp(a.baseAddress! + start, bytes.baseAddress! + range.lowerBound, range.count) == 0
        }
    }

    /// Caches `series` for `bytes[range]`; the caller has checked it is not cached yet.
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64, series: MemSeries) {
        let start = arena.count
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
        entries.append(Entry(hash: hash, keyStart: start, keyCount: range.count, series: series))
        if entries.count * 2 > slots.count {
            rehash(capacity: slots.count * 2)
        } else {
            place(entries.count - 1)
        }
    }

    private mutating func place(_ index: Int) {
        let mask = slots.count &- 1
        var i = Int(truncatingIfNeeded: entries[index].hash) & mask
        while slots[i] >= 0 { i = (i &+ 1) & mask }
        slots[i] = Int32(index)
    }

    private mutating func rehash(capacity: Int) {
        slots = Array(repeating: -1, count: capacity)
        for i in entries.indices { place(i) }
    }

    public mutating func removeAll() {
        entries.removeAll()
        arena.removeAll()
        slots = Array(repeating: -1, count: 64)
    }
}
