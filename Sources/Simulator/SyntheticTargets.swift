import Exposition

#if canImport(Glibc)
import Glibc
#endif

/// Plain load for soak tests: `count` targets of `series` series each (a tenth counters, the
/// rest gauges), values a pure function of target, series and time, so serving needs no state.
public struct SyntheticTargets: Sendable {
    public let count: Int
    public let series: Int

    public init(count: Int, series: Int) {
        self.count = count
        self.series = series
    }

    public func path(_ target: Int) -> String { "/synthetic/\(target)/metrics" }

    /// The exposition of target `target` at `ms`; nil when out of range.
    public func exposition(target: Int, atMs ms: Int64) -> [UInt8]? {
        guard target >= 0, target < count else { return nil }
        var w = ExpositionWriter(format: .prometheusText, capacity: series * 64)
        let families = max(1, series / 10)
        let seconds = Double(ms / 1000)
        for f in 0..<families {
            let counter = f % 10 == 0
            let name = counter ? "synthetic_requests_\(f)_total" : "synthetic_load_\(f)"
            w.writeType(name, counter ? .counter : .gauge)
            for i in 0..<min(10, series - f * 10) {
                let phase = Double(target * 7919 + f * 104_729 + i * 31)
                let value = counter
                    ? (seconds * (1 + Double(i))).rounded(.down)
                    : (50 + 40 * sin(seconds / 60 + phase)).rounded()
                w.writeSample(name, labels: [("shard", String(i)), ("target", String(target))], value: value)
            }
        }
        return w.bytes
    }
}
