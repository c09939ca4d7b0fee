import Foundation
import TSDB
#if canImport(Glibc)
import Glibc
#endif

/// Inputs the benchmarks share: the fixtures, a synthetic 10,000-series exposition, and
/// realistic regular-interval series for the storage-size figure.
enum Workloads {
    static let fixturesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures")

    static func fixture(_ name: String) -> [UInt8] {
        (try? Array(Data(contentsOf: fixturesDirectory.appendingPathComponent(name)))) ?? []
    }

    static let fixtures: [UInt8] = ["kueue_metrics.prom", "modelmesh_metrics.prom", "vllm_metrics.prom"].flatMap { fixture($0) }

    /// 10,000 series shaped like a model-serving fleet: histograms, counters and gauges.
    static let synthetic10k: [UInt8] = {
        var s = ""
        s += "# HELP request_duration_seconds Request latency.\n# TYPE request_duration_seconds histogram\n"
        let buckets = ["0.005", "0.01", "0.025", "0.05", "0.1", "0.25", "0.5", "1", "2.5", "5", "+Inf"]
        var n = 0
        for model in 0..<500 {
            for (i, le) in buckets.enumerated() {
                s += "request_duration_seconds_bucket{model=\"model-\(model)\",namespace=\"serving\",le=\"\(le)\"} \(model * 10 + i * 37)\n"
                n += 1
            }
            s += "request_duration_seconds_sum{model=\"model-\(model)\",namespace=\"serving\"} \(Double(model) * 1.25)\n"
            s += "request_duration_seconds_count{model=\"model-\(model)\",namespace=\"serving\"} \(model * 10 + 370)\n"
            n += 2
        }
        s += "# HELP requests_total Requests.\n# TYPE requests_total counter\n"
        var i = 0
        while n < 10_000 {
            s += "requests_total{model=\"model-\(i % 500)\",code=\"\(200 + i % 5)\",handler=\"/v1/h\(i)\"} \(i * 13)\n"
            s += "queue_depth{model=\"model-\(i % 500)\",shard=\"\(i)\"} \(Double(i % 17) / 4)\n"
            n += 2
            i += 1
        }
        return Array(s.utf8)
    }()

    static let synthetic10kSamples = 10_000

    /// Regular 15 s series: counters with noisy increments, gauges in a bounded random walk,
    /// and cumulative histogram buckets, as a real scrape of the fixtures' targets produces.
    static func realisticSeries(count: Int, samples: Int) -> [[(Int64, Double)]] {
        var rng = SplitMix64(seed: 11)
        var out: [[(Int64, Double)]] = []
        for s in 0..<count {
            var series: [(Int64, Double)] = []
            var v: Double = Double(rng.next() % 10_000)
            let kind = s % 4
            let rate = Double(rng.next() % 50 + 1)
            for i in 0..<samples {
                let t = 1_767_000_000_000 + Int64(i) * 15_000
                switch kind {
                case 0: v += (rate * 15 + Double(rng.next() % 21) - 10).rounded()                   // counter
                case 1: v = max(0, v + Double(Int(rng.next() % 5) - 2))                              // queue gauge
                case 2: if rng.next() % 4 == 0 { v += Double(rng.next() % 3) }                       // upper bucket
                default: v = (Double(rng.next() % 10_000) / 10_000 * 100).rounded() / 100            // utilisation
                }
                series.append((t, v))
            }
            out.append(series)
        }
        return out
    }

    /// Resident bytes after glibc's `malloc_trim` hands freed memory back to the system, so
    /// the figure is what is in use, not what earlier benchmarks left in the allocator's pools.
    static func allocatedBytes() -> Int {
        typealias MallocTrim = @convention(c) (Int) -> Int32
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") {
            _ = unsafeBitCast(symbol, to: MallocTrim.self)(0)
        }
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let pages = statm.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    /// The fixtures' own series scraped every 15 s for `scrapes` scrapes: counters (`_total`,
    /// `_count`, `_bucket`, `_sum`, counter families) grow when their target is busy, gauges
    /// change now and then, and a share of series (idle models, build info, quotas) stay flat.
    static func fixtureDrivenSeries(scrapes: Int) -> [[(Int64, Double)]] {
        var rng = SplitMix64(seed: 5)
        var out: [[(Int64, Double)]] = []
        for line in String(decoding: fixtures, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let start = Double(line[line.index(after: space)...]) else { continue }
            let name = line.prefix { $0 != "{" && $0 != " " }
            let isCounter = name.hasSuffix("_total") || name.hasSuffix("_count") || name.hasSuffix("_bucket") || name.hasSuffix("_sum")
            let busy = rng.next() % 10 < 6
            let perScrape = Double(rng.next() % 40 + 1)
            var v = start.isFinite ? start : 0
            var series: [(Int64, Double)] = []
            for i in 0..<scrapes {
                if isCounter && busy {
                    let events = (perScrape + Double(Int(rng.next() % 9) - 4)).rounded()
                    v += name.hasSuffix("_sum") ? (events * 0.0137 * 1000).rounded() / 1000 : events
                } else if !isCounter && rng.next() % 20 == 0 {
                    v = (v * (0.9 + Double(rng.next() % 200) / 1000) * 100).rounded() / 100
                }
                series.append((1_767_000_000_000 + Int64(i) * 15_000, v))
            }
            out.append(series)
        }
        return out
    }
}

struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
