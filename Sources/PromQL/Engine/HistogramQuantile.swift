/// `histogram_quantile` over classic buckets (`le` series), as Prometheus computes it: buckets
/// sorted and merged by bound, counts forced monotonic (with tiny float deltas ignored), and
/// linear interpolation inside the bucket that holds the rank.
enum HistogramQuantile {
    struct Bucket {
        var upperBound: Double
        var count: Double
    }

    /// `forcedMonotonic` is set when a bucket's count had to be raised to its predecessor's.
    static func value(_ q: Double, _ input: [Bucket], forcedMonotonic: inout Bool) -> Double {
        if q.isNaN { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        var buckets = input.sorted { $0.upperBound < $1.upperBound }
        guard let last = buckets.last, last.upperBound == .infinity else { return .nan }
        // Merge buckets with the same bound.
        var merged: [Bucket] = []
        for b in buckets {
            if let tail = merged.last, tail.upperBound == b.upperBound {
                merged[merged.count - 1].count += b.count
            } else {
                merged.append(b)
            }
        }
        buckets = merged
        var previous = buckets[0].count
        for i in 1..<max(1, buckets.count) {
            let current = buckets[i].count
            if current == previous { continue }
            if abs(current - previous) <= 1e-12 * max(abs(current), abs(previous)) {
                buckets[i].count = previous
                continue
            }
            if current < previous {
                forcedMonotonic = true
                buckets[i].count = previous
                continue
            }
            previous = current
        }
        guard buckets.count >= 2 else { return .nan }
        let observations = buckets[buckets.count - 1].count
        guard observations > 0 else { return .nan }
        var rank = q * observations
        let b = buckets.prefix(buckets.count - 1).firstIndex { $0.count >= rank } ?? (buckets.count - 1)
        if b == buckets.count - 1 { return buckets[buckets.count - 2].upperBound }
        if b == 0 && buckets[0].upperBound <= 0 { return buckets[0].upperBound }
        var start = 0.0
        var count = buckets[b].count
        if b > 0 {
            start = buckets[b - 1].upperBound
            count -= buckets[b - 1].count
            rank -= buckets[b - 1].count
        }
        return start + (buckets[b].upperBound - start) * (rank / count)
    }
}

extension Context {
    /// Buckets group by every label but `le` — the metric name included — and the results lose
    /// the name, so two histograms that differ only by name are refused as duplicates.
    func histogramQuantile(_ q: Double, _ samples: [VectorSample]) throws -> [VectorSample] {
        var groups: [String: (labels: [String: String], buckets: [HistogramQuantile.Bucket], name: String)] = [:]
        var order: [String] = []
        for s in samples {
            guard let le = s.labels["le"], let bound = Double(le) ?? (le == "+Inf" || le == "Inf" ? .infinity : nil) else {
                annotations.warn("PromQL warning: bucket label \"le\" is missing or has a malformed value of \"\(s.labels["le"] ?? "")\" for metric name \"\(s.labels["__name__"] ?? "")\"")
                continue
            }
            var labels = s.labels
            labels["le"] = nil
            let key = labels.signature
            labels["__name__"] = nil
            if groups[key] == nil {
                groups[key] = (labels, [], s.labels["__name__"] ?? "")
                order.append(key)
            }
            groups[key]!.buckets.append(.init(upperBound: bound, count: s.value))
        }
        return try Self.uniqueLabelSets(order.map { key in
            let g = groups[key]!
            var forced = false
            let value = HistogramQuantile.value(q, g.buckets, forcedMonotonic: &forced)
            if forced {
                annotations.info("PromQL info: input to histogram_quantile needed to be fixed for monotonicity (see https://prometheus.io/docs/prometheus/latest/querying/functions/#histogram_quantile) for metric name \"\(g.name)\"")
            }
            return VectorSample(labels: g.labels, value: value)
        })
    }
}
