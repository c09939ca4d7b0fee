/// Where Prometheus drops the metric name: at once, or — under delayed name removal, as its own
/// test engine runs — only when the query's result is final, so `label_replace` and `by (__name__)`
/// still see the name of a series that `rate` produced.
extension Context {
    /// The result of a name-dropping operation on a series with `labels`.
    func droppingName(_ labels: [String: String], _ value: Double) -> VectorSample {
        engine.delayedNameRemoval
            ? VectorSample(labels: labels, value: value, dropName: true)
            : VectorSample(labels: labels.droppingName, value: value)
    }

    /// A name-dropping result computed from a cached series: its labels without the name are
    /// already built, and the sample keeps the series' number.
    func droppingName(_ s: CachedSeries, _ value: Double) -> VectorSample {
        engine.delayedNameRemoval
            ? VectorSample(labels: s.labels, value: value, ref: s.ref, dropName: true)
            : VectorSample(labels: s.labelsWithoutName, value: value, ref: s.ref, withoutName: true)
    }

    /// `v`, refused when two of its samples share a label set once names are dropped (checked at
    /// the end instead when removal is delayed).
    func unique(_ v: [VectorSample]) throws -> [VectorSample] {
        engine.delayedNameRemoval ? v : try Self.uniqueLabelSets(v)
    }

    /// `v`, refused when two of its samples share a label set, as Prometheus refuses a vector
    /// whose names were dropped or whose labels `label_replace` / `label_join` rewrote.
    static func uniqueLabelSets(_ v: [VectorSample]) throws -> [VectorSample] {
        var seen = Set<String>()
        for s in v where !seen.insert(s.labels.signature).inserted {
            throw EvaluationError("vector cannot contain metrics with the same labelset")
        }
        return v
    }
}

extension Value {
    /// The value as a query returns it: flagged names dropped, duplicate label sets refused, and
    /// range series that became one label set merged (their timestamps must not overlap).
    func finishingNames() throws -> Value {
        switch self {
        case .vector(let samples):
            guard samples.contains(where: \.dropName) else { return self }
            return .vector(try Context.uniqueLabelSets(samples.map {
                $0.dropName ? VectorSample(labels: $0.labels.droppingName, value: $0.value) : $0
            }))
        case .matrix(let series):
            guard series.contains(where: \.dropName) else { return self }
            var merged: [RangeSeries] = []
            var index: [String: Int] = [:]
            for s in series {
                let labels = s.dropName ? s.labels.droppingName : s.labels
                let key = labels.signature
                guard let i = index[key] else {
                    index[key] = merged.count
                    merged.append(RangeSeries(labels: labels, points: s.points))
                    continue
                }
                var points = merged[i].points + s.points
                points.sort { $0.t < $1.t }
                for k in points.indices.dropFirst() where points[k].t == points[k - 1].t {
                    throw EvaluationError("vector cannot contain metrics with the same labelset")
                }
                merged[i].points = points
            }
            return .matrix(merged)
        default:
            return self
        }
    }
}
