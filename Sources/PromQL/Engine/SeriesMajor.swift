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

    /// `rate`, `increase` and `delta` of a selector, one series at a time: its samples decoded
    /// into two buffers reused for every series, then every step's window found by two forward
    /// cursors. A window without resets or staleness markers needs only its first and last sample,
    /// which gives the same value as walking it.
    private func stepsOfExtrapolation(_ vs: VectorSelector, rangeMs: Int64, counter: Bool, rate: Bool) throws -> [RangeSeries] {
        var out: [RangeSeries] = []
        let steps = Int((end - start) / step) + 1
        let first = evaluationTime(vs.modifiers, start), last = evaluationTime(vs.modifiers, end)
        var ts: [Int64] = [], vs_: [Double] = [], resetsUpTo: [Int32] = []
        for s in engine.querier.select(vs.matchers, minTime: min(first, last) - rangeMs + 1, maxTime: max(first, last)) {
            try budget.check()
            ts.removeAll(keepingCapacity: true)
            vs_.removeAll(keepingCapacity: true)
            var clean = true
            var it = s.makeIterator()
            while it.next() {
                ts.append(it.timestamp)
                vs_.append(it.value)
                if StalenessMarker.isStale(it.value) { clean = false }
            }
            try budget.load(ts.count)
            if counter && clean {
                resetsUpTo.removeAll(keepingCapacity: true)
                resetsUpTo.append(0)
                for k in vs_.indices.dropFirst() { resetsUpTo.append(resetsUpTo[k - 1] + (vs_[k] < vs_[k - 1] ? 1 : 0)) }
            }
            var points: [(t: Int64, v: Double)] = []
            points.reserveCapacity(steps)
            var sawSamples = false
            var lo = 0, hi = 0
            var t = start
            while t <= end {
                let at = evaluationTime(vs.modifiers, t)
                // hi: the first sample after the window's end; lo: the first inside its start.
                while hi < ts.count && ts[hi] <= at { hi += 1 }
                while lo < ts.count && ts[lo] <= at - rangeMs { lo += 1 }
                var window = ExtrapolationWindow()
                if lo < hi {
                    sawSamples = true
                    if clean && (!counter || resetsUpTo[hi - 1] == resetsUpTo[lo]) {
                        window = ExtrapolationWindow(first: (ts[lo], vs_[lo]), last: (ts[hi - 1], vs_[hi - 1]), count: hi - lo)
                    } else {
                        for k in lo..<hi where !StalenessMarker.isStale(vs_[k]) { window.add(ts[k], vs_[k], counter: counter) }
                    }
                }
                if let v = window.value(start: at - rangeMs, end: at, counter: counter, rate: rate) { points.append((t, v)) }
                t += step
            }
            budget.held -= ts.count
            var labels: [String: String] = [:]
            if !points.isEmpty || (counter && sawSamples) {
                labels.reserveCapacity(s.labels.pairs.count)
                for l in s.labels.pairs { labels[l.name] = l.value }
            }
            // Once per series, not per step: the info is the same at every step.
            if counter && sawSamples { annotations.checkCounterName(labels) }
            try budget.load(points.count)
            // The name goes when the result is final, where two series left with one label set are refused.
            if !points.isEmpty { out.append(RangeSeries(labels: labels, points: points, dropName: true)) }
        }
        return out
    }
}
