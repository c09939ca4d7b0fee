import TSDB

/// One selected series, decoded once per query: its labels (with and without the metric name,
/// built once) and its samples as two columns, staleness markers included.
final class CachedSeries {
    let ref: SeriesRef
    let labels: [String: String]
    let labelsWithoutName: [String: String]
    let t: [Int64]
    let v: [Double]
    /// Whether `rate`-like functions have already checked the name for the not-a-counter info.
    var counterNameChecked = false

    init(ref: SeriesRef, labels: [String: String], t: [Int64], v: [Double]) {
        self.ref = ref
        self.labels = labels
        var withoutName = labels
        withoutName["__name__"] = nil
        labelsWithoutName = withoutName
        self.t = t
        self.v = v
    }

    /// Where the last searches ended, per use (0: a window's end, 1: its start): steps move
    /// forward, so the next search usually walks a sample or two from there.
    private var cursors = (0, 0)

    /// The index of the first sample after `time` (so `t[..<i]` is at or before it); `slot` names
    /// the cursor to start from.
    func index(after time: Int64, slot: Int = 0) -> Int {
        var i = slot == 0 ? cursors.0 : cursors.1
        if i <= t.count, i == 0 || t[i - 1] <= time {
            var walked = 0
            while i < t.count, t[i] <= time, walked < 8 {
                i += 1
                walked += 1
            }
            if walked == 8 { i = search(after: time) }
        } else {
            i = search(after: time)
        }
        if slot == 0 { cursors.0 = i } else { cursors.1 = i }
        return i
    }

    private func search(after time: Int64) -> Int {
        var lo = 0, hi = t.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if t[mid] <= time { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

/// The series each selector of a query reads, loaded once for every step that needs them: the
/// first use loads from its window's start to the query's end, so later steps find their
/// samples already decoded. A wider window later (a nested subquery) reloads.
final class SelectionCache {
    /// A selector's matchers as a key: name, operator and value of each, three strings per matcher.
    private struct Key: Hashable {
        let parts: [String]
        init(_ matchers: [LabelMatcher]) { parts = matchers.flatMap { [$0.name, $0.kind.rawValue, $0.value] } }
    }

    private var entries: [Key: (minT: Int64, maxT: Int64, series: [CachedSeries])] = [:]

    func series(_ matchers: [LabelMatcher], minT: Int64, maxT: Int64, through lastT: Int64, querier: HeadQuerier,
                budget: QueryBudget) throws -> [CachedSeries] {
        let key = Key(matchers)
        if let e = entries[key], e.minT <= minT, e.maxT >= maxT { return e.series }
        let lo = min(minT, entries[key]?.minT ?? minT), hi = max(maxT, lastT)
        var loaded: [CachedSeries] = []
        var count = 0
        for s in querier.select(matchers, minTime: lo, maxTime: hi) {
            var t: [Int64] = [], v: [Double] = []
            let estimate = s.chunks.count * 120
            t.reserveCapacity(estimate)
            v.reserveCapacity(estimate)
            var it = s.makeIterator()
            while it.next() {
                t.append(it.timestamp)
                v.append(it.value)
            }
            count += t.count
            var labels: [String: String] = [:]
            for l in s.labels.pairs { labels[l.name] = l.value }
            loaded.append(CachedSeries(ref: s.ref, labels: labels, t: t, v: v))
        }
        try budget.keep(count)
        entries[key] = (lo, hi, loaded)
        return loaded
    }
}
