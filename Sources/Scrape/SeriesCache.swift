import TSDB

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A target's series, keyed by the raw bytes of each exposition line's series text
/// (`name{labels}` exactly as exposed). On a steady-state scrape every line is a cache hit:
/// no label parsing, no relabeling, no label hashing, no index lookup, no allocation.
///
/// An open-addressing table over the caller's `fastHash` (no second hashing), with every key
/// in one byte arena, so a lookup is one slot probe, one hash compare and one `memcmp`.
/// Entries also carry what staleness needs: the last successful scrape that saw them.
public struct SeriesCache: Sendable {
    public struct Entry: Sendable {
        var hash: UInt64
        var keyStart: Int
        var keyCount: Int
        /// nil when `metric_relabel_configs` dropped the series: the line is skipped.
        public var series: MemSeries?
        /// The scrape attempt that last saw the line.
        var attempt: UInt64 = 0
        /// The successful scrape that last saw the line.
        var lastSeen: UInt64 = 0
        /// False for lines with their own timestamp: Prometheus does not mark those stale.
        var tracksStaleness = true
    }

    private(set) var entries: [Entry] = []
    /// Indexes into `entries`, -1 for empty; the count is a power of two at most half full.
    private var slots: [Int32] = Array(repeating: -1, count: 64)
    private var arena: [UInt8] = []

    public init() {}

    public var count: Int { entries.count }

    /// Bytes the cache holds: its key arena, entries and slot table.
    public var memoryBytes: Int {
        arena.capacity + entries.capacity * MemoryLayout<Entry>.stride + slots.capacity * MemoryLayout<Int32>.stride
    }

    /// The index of the entry cached for `bytes[range]`, whose `fastHash` is `hash`.
    @inline(__always)
    public func find(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> Int? {
        slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                arena.withUnsafeBufferPointer { arena in
                    let mask = slots.count &- 1
                    var i = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let e = Int(slots[i])
                        if e < 0 { return nil }
                        let entry = entries[e]
                        if entry.hash == hash, entry.keyCount == range.count,
                           memcmp(arena.baseAddress! + entry.keyStart, bytes.baseAddress! + range.lowerBound, range.count) == 0 {
                            return e
                        }
                        i = (i &+ 1) & mask
                    }
                }
            }
        }
    }

    /// The series cached for `bytes[range]` (nil when absent or dropped).
    public func lookup(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64) -> MemSeries? {
        find(bytes, range, hash: hash).flatMap { entries[$0].series }
    }

    public subscript(index: Int) -> Entry { entries[index] }

    /// Records that scrape attempt `attempt` saw entry `index`.
    @inline(__always)
    public mutating func markSeen(_ index: Int, attempt: UInt64, tracksStaleness: Bool) {
        entries[index].attempt = attempt
        entries[index].tracksStaleness = tracksStaleness
    }

    /// Caches `series` (nil: dropped) for `bytes[range]`; the caller has checked it is absent.
    @discardableResult
    public mutating func insert(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, hash: UInt64, series: MemSeries?) -> Int {
        let start = arena.count
        arena.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[range]))
        entries.append(Entry(hash: hash, keyStart: start, keyCount: range.count, series: series))
        if entries.count * 2 > slots.count {
            rehash(capacity: slots.count * 2)
        } else {
            place(entries.count - 1)
        }
        return entries.count - 1
    }

    /// Ends a successful scrape: entries seen by `attempt` get `iteration`; `stale` is called
    /// with each tracked series that `previous` saw and this scrape did not.
    public mutating func finishSuccessfulScrape(attempt: UInt64, iteration: UInt64, previous: UInt64, stale: (MemSeries) -> Void) {
        var seen = 0
        for i in entries.indices {
            if entries[i].attempt == attempt {
                entries[i].lastSeen = iteration
                seen += 1
            } else if previous != 0, entries[i].lastSeen == previous, entries[i].tracksStaleness, let s = entries[i].series {
                stale(s)
            }
        }
        // Forget lines gone for more than one scrape (already marked stale) once they dominate.
        if entries.count > 2 * seen + 64 {
            let keep = entries.filter { $0.lastSeen == iteration }
            rebuild(keeping: keep)
        }
    }

    /// Ends a failed scrape (or a removed target): `stale` gets every tracked series the last
    /// successful scrape `previous` saw.
    public func forEachSeen(in previous: UInt64, _ body: (MemSeries) -> Void) {
        guard previous != 0 else { return }
        for e in entries where e.lastSeen == previous && e.tracksStaleness {
            if let s = e.series { body(s) }
        }
    }

    private mutating func rebuild(keeping keep: [Entry]) {
        var newArena: [UInt8] = []
        var newEntries: [Entry] = []
        newEntries.reserveCapacity(keep.count)
        for var e in keep {
            let start = newArena.count
            newArena.append(contentsOf: arena[e.keyStart..<(e.keyStart + e.keyCount)])
            e.keyStart = start
            newEntries.append(e)
        }
        arena = newArena
        entries = newEntries
        var capacity = 64
        while capacity < entries.count * 2 { capacity *= 2 }
        rehash(capacity: capacity)
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
