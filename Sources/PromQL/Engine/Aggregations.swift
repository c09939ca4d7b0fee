import TSDB
#if canImport(Glibc)
import Glibc
#endif

extension Context {
    func groupLabels(_ labels: [String: String], _ grouping: [String], without: Bool) -> [String: String] {
        if without {
            var out = labels.droppingName
            for g in grouping { out[g] = nil }
            return out
        }
        var out: [String: String] = [:]
        for g in grouping { if let v = labels[g] { out[g] = v } }
        return out
    }

    func aggregate(_ op: String, _ input: [VectorSample], parameter: Value?, grouping: [String], without: Bool) throws -> Value {
        var samples = input
        var grouping = grouping
        if op == "count_values" {
            // The value label is set before grouping, so it takes part in the group.
            guard case .string(let label)? = parameter else { throw EvaluationError("count_values requires a string parameter") }
            samples = input.map { s in
                var l = s.labels
                l[label] = GoFloat.format(s.value)
                return VectorSample(labels: l, value: s.value)
            }
            if without { grouping.removeAll { $0 == label } } else { grouping.append(label) }
        }
        if ["topk", "bottomk", "limitk"].contains(op), case .scalar(let k)? = parameter, k.isNaN {
            throw EvaluationError("Parameter value is NaN")
        }
        if op == "limit_ratio" {
            guard case .scalar(let ratio)? = parameter else { throw EvaluationError("limit_ratio requires a scalar parameter") }
            return .vector(try limitRatio(ratio, samples))
        }
        var groups: [String: (labels: [String: String], values: [VectorSample], dropName: Bool)] = [:]
        var order: [String] = []
        for s in samples {
            let g = groupLabels(s.labels, grouping, without: without)
            let key = g.signature
            if groups[key] == nil {
                groups[key] = (g, [], false)
                order.append(key)
            }
            groups[key]!.values.append(s)
            // Grouping by a to-be-dropped name keeps the drop (delayed name removal).
            if s.dropName && g["__name__"] != nil { groups[key]!.dropName = true }
        }
        var scalarParam: Double? = nil
        if case .scalar(let v)? = parameter { scalarParam = v }
        var out: [VectorSample] = []
        for key in order {
            let (labels, members, dropName) = groups[key]!
            let values = members.map(\.value)
            let first = out.count
            switch op {
            case "sum": out.append(.init(labels: labels, value: kahanSum(values)))
            case "avg": out.append(.init(labels: labels, value: average(values)))
            case "count": out.append(.init(labels: labels, value: Double(values.count)))
            case "group": out.append(.init(labels: labels, value: 1))
            case "min": out.append(.init(labels: labels, value: values.reduce(Double.nan) { $0.isNaN || $1 < $0 ? $1 : $0 }))
            case "max": out.append(.init(labels: labels, value: values.reduce(Double.nan) { $0.isNaN || $1 > $0 ? $1 : $0 }))
            case "stddev", "stdvar":
                let v = Self.variance(values)
                out.append(.init(labels: labels, value: op == "stddev" ? sqrt(v) : v))
            case "quantile":
                annotations.checkQuantile(scalarParam ?? .nan)
                out.append(.init(labels: labels, value: quantile(scalarParam ?? .nan, values)))
            case "topk", "bottomk", "limitk":
                guard let k = scalarParam else { throw EvaluationError("\(op) requires a scalar parameter") }
                let n = max(0, Int(min(k, Double(Int.max / 2))))
                let sorted: [VectorSample]
                switch op {
                case "topk": sorted = members.sorted { a, b in a.value > b.value || (b.value.isNaN && !a.value.isNaN) }
                case "bottomk": sorted = members.sorted { a, b in a.value < b.value || (b.value.isNaN && !a.value.isNaN) }
                default: sorted = members
                }
                out.append(contentsOf: sorted.prefix(n))
            case "count_values":
                guard case .string(let label)? = parameter else { throw EvaluationError("count_values requires a string parameter") }
                _ = label
                out.append(.init(labels: labels, value: Double(values.count)))
            default:
                throw EvaluationError("aggregation \(op) is not supported yet")
            }
            if dropName, !["topk", "bottomk", "limitk"].contains(op) {
                for i in first..<out.count { out[i].dropName = true }
            }
        }
        return .vector(out)
    }

    /// `limit_ratio(r, v)`: the series whose label hash, as a fraction of 2^64, is below `r` (or at
    /// least `1 + r` when `r` is negative), so `r` and `r - 1` pick complementary sets.
    func limitRatio(_ ratio: Double, _ samples: [VectorSample]) throws -> [VectorSample] {
        guard !ratio.isNaN else { throw EvaluationError("Ratio value is NaN") }
        let r = Swift.min(1, Swift.max(-1, ratio))
        if r != ratio {
            annotations.warn("PromQL warning: ratio value should be between -1 and 1, got \(GoFloat.formatG(ratio)), capping to \(GoFloat.formatG(r))")
        }
        return samples.filter { s in
            let ordinal = Double(XXHash64.labelsHash(s.labels.map { ($0.key, $0.value) })) / Double(UInt64.max)
            return r >= 0 ? ordinal < r : ordinal >= 1 + r
        }
    }

    /// Prometheus's `kahanSumInc` (Neumaier's variant; the compensation resets on infinity).
    func kahanInc(_ inc: Double, _ sum: Double, _ c: Double) -> (Double, Double) {
        let t = sum + inc
        if t.isInfinite { return (t, 0) }
        if abs(sum) >= abs(inc) { return (t, c + ((sum - t) + inc)) }
        return (t, c + ((inc - t) + sum))
    }

    func kahanSum(_ values: [Double]) -> Double {
        var sum = 0.0, c = 0.0
        for v in values { (sum, c) = kahanInc(v, sum, c) }
        return sum + c
    }

    /// Prometheus 3's `avg`: a compensated sum, switching to an incremental mean on overflow.
    func average(_ values: [Double]) -> Double {
        guard let first = values.first else { return .nan }
        var sum = first, c = 0.0, mean = 0.0, incremental = false, count = 1.0
        for v in values.dropFirst() {
            count += 1
            if !incremental {
                let (newSum, newC) = kahanInc(v, sum, c)
                if !newSum.isInfinite {
                    (sum, c) = (newSum, newC)
                    continue
                }
                incremental = true
                mean = sum / (count - 1)
                c /= count - 1
            }
            if mean.isInfinite {
                if v.isInfinite && (mean > 0) == (v > 0) { continue }
                if !v.isInfinite && !v.isNaN { continue }
            }
            let current = mean + c
            (mean, c) = kahanInc(v / count - current / count, mean, c)
        }
        return incremental ? mean + c : sum / count + c / count
    }

    /// Population variance by Welford's method (`stdvar`, `stdvar_over_time`).
    static func variance(_ values: [Double]) -> Double {
        var count = 0.0, mean = 0.0, m2 = 0.0
        for v in values {
            count += 1
            let delta = v - mean
            mean += delta / count
            m2 += delta * (v - mean)
        }
        return count > 0 ? m2 / count : .nan
    }

    func quantile(_ q: Double, _ values: [Double]) -> Double {
        guard !values.isEmpty, !q.isNaN else { return .nan }
        if q < 0 { return -.infinity }
        if q > 1 { return .infinity }
        // NaN sorts first, as Go's sort.Float64s orders it.
        let sorted = values.sorted { $0 < $1 || ($0.isNaN && !$1.isNaN) }
        let rank = q * Double(sorted.count - 1)
        let lower = max(0, Int(rank.rounded(.down)))
        let upper = min(sorted.count - 1, lower + 1)
        let weight = rank - rank.rounded(.down)
        return sorted[lower] * (1 - weight) + sorted[upper] * weight
    }
}
