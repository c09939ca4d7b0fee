import TSDB

/// Range queries whose expression is a selector, or `rate` / `increase` / `delta` of one, are
/// evaluated series by series, every step of one series before the next — as Prometheus does for
/// these shapes. Each series' samples are then read in order from memory that is already near,
/// instead of touching every series once per step.
extension Context {
    /// The result of `expr` over all steps, or nil when it is not one of these shapes.
    func seriesMajor(_ expr: Expr) throws -> [RangeSeries]? {
        switch expr {
        case .paren(let inner):
            return try seriesMajor(inner)
        case .vectorSelector(let vs):
            return try stepsOfSelector(vs)
        case .call(let name, let args) where ["rate", "increase", "delta"].contains(name) && args.count == 1:
            guard case .matrixSelector(let vs, let range) = args[0] else { return nil }
            return try stepsOfExtrapolation(vs, rangeMs: range, counter: name != "delta", rate: name == "rate")
        default:
            return nil
        }
    }

    /// The selection for every step: from the first step's window to the last step's time.
    private func selection(_ vs: VectorSelector, window: Int64) throws -> [CachedSeries] {
        let first = evaluationTime(vs.modifiers, start), last = evaluationTime(vs.modifiers, end)
        return try cache.series(vs.matchers, minT: min(first, last) - window + 1, maxT: max(first, last), through: last,
                                querier: engine.querier, budget: budget)
    }

    /// A plain selector needs each series' samples once, in order: they are read straight from
    /// the chunks as the steps advance, with no columns in between.
    private func stepsOfSelector(_ vs: VectorSelector) throws -> [RangeSeries] {
        let lookback = engine.lookbackMs
        let steps = Int((end - start) / step) + 1
        let first = evaluationTime(vs.modifiers, start), last = evaluationTime(vs.modifiers, end)
        var out: [RangeSeries] = []
        for s in engine.querier.select(vs.matchers, minTime: min(first, last) - lookback + 1, maxTime: max(first, last)) {
            try budget.check()
            var points: [(t: Int64, v: Double)] = []
            points.reserveCapacity(steps)
            var it = s.makeIterator()
            var more = it.next()
            // The latest sample at or before the step's time.
            var latestT = Int64.min, latestV = 0.0
            var t = start
            while t <= end {
                let ts = evaluationTime(vs.modifiers, t)
                while more && it.timestamp <= ts {
                    latestT = it.timestamp
                    latestV = it.value
                    more = it.next()
                }
                if latestT != .min, latestT > ts - lookback, !StalenessMarker.isStale(latestV) { points.append((t, latestV)) }
                t += step
            }
            try budget.load(points.count)
            if !points.isEmpty {
                var labels: [String: String] = [:]
                labels.reserveCapacity(s.labels.pairs.count)
                for l in s.labels.pairs { labels[l.name] = l.value }
                out.append(RangeSeries(labels: labels, points: points))
            }
        }
        return out
    }

    private func stepsOfExtrapolation(_ vs: VectorSelector, rangeMs: Int64, counter: Bool, rate: Bool) throws -> [RangeSeries] {
        var out: [RangeSeries] = []
        let steps = Int((end - start) / step) + 1
        for s in try selection(vs, window: rangeMs) {
            try budget.check()
            // Counts of resets before each sample: a window without resets or staleness markers
            // needs only its first and last sample, which gives the same value as walking it.
            let clean = !s.v.contains(where: StalenessMarker.isStale)
            var resetsUpTo = [Int32](repeating: 0, count: s.t.count)
            if counter && clean {
                for k in s.v.indices.dropFirst() { resetsUpTo[k] = resetsUpTo[k - 1] + (s.v[k] < s.v[k - 1] ? 1 : 0) }
            }
            var points: [(t: Int64, v: Double)] = []
            points.reserveCapacity(steps)
            var sawSamples = false
            var t = start
            while t <= end {
                let ts = evaluationTime(vs.modifiers, t)
                let hi = s.index(after: ts), lo = s.index(after: ts - rangeMs, slot: 1)
                var window = ExtrapolationWindow()
                if lo < hi {
                    if clean && resetsUpTo[hi - 1] == resetsUpTo[lo] {
                        window = ExtrapolationWindow(first: (s.t[lo], s.v[lo]), last: (s.t[hi - 1], s.v[hi - 1]), count: hi - lo)
                    } else {
                        for k in lo..<hi where !StalenessMarker.isStale(s.v[k]) { window.add(s.t[k], s.v[k], counter: counter) }
                    }
                }
                if window.count > 0 { sawSamples = true }
                if let v = window.value(start: ts - rangeMs, end: ts, counter: counter, rate: rate) { points.append((t, v)) }
                t += step
            }
            // Once per series, not per step: the info is the same at every step.
            if counter && sawSamples { annotations.checkCounterName(s.labels) }
            try budget.load(points.count)
            // The name goes when the result is final, where two series left with one label set are refused.
            if !points.isEmpty { out.append(RangeSeries(labels: s.labels, points: points, dropName: true)) }
        }
        return out
    }
}
