import Scrape
import Testing
import TSDB

@Suite struct SeriesCacheTests {
    @Test func collidingHashesAndGrowthKeepEveryKeyApart() throws {
        let storage = try Storage(options: StorageOptions())
        let app = storage.appender()
        var cache = SeriesCache()
        let keys = (0..<1000).map { Array("m{i=\"\($0)\"}".utf8) }
        var series: [MemSeries] = []
        for (i, key) in keys.enumerated() {
            let s = try app.append(Labels(["__name__": "m", "i": String(i)]), 1, 1)
            series.append(s)
            // Every fourth key shares one hash, so probing must compare bytes, not hashes.
            let hash: UInt64 = i % 4 == 0 ? 42 : UInt64(i) &* 0x9e37_79b9_7f4a_7c15
            _ = key.withUnsafeBufferPointer { cache.insert($0, 0..<key.count, hash: hash, series: s) }
        }
        #expect(cache.count == 1000)
        for (i, key) in keys.enumerated() {
            let hash: UInt64 = i % 4 == 0 ? 42 : UInt64(i) &* 0x9e37_79b9_7f4a_7c15
            let found = key.withUnsafeBufferPointer { cache.lookup($0, 0..<key.count, hash: hash) }
            #expect(found === series[i], "key \(i)")
        }
        let absent = Array("m{i=\"1000\"}".utf8)
        #expect(absent.withUnsafeBufferPointer { cache.lookup($0, 0..<absent.count, hash: 42) } == nil)
        cache.removeAll()
        #expect(keys[0].withUnsafeBufferPointer { cache.lookup($0, 0..<keys[0].count, hash: 42) } == nil)
    }
}
