import TSDB
#if canImport(Glibc)
import Glibc
#endif

extension Context {
    mutating func call(_ name: String, _ args: [Expr], at t: Int64) throws -> Value {
        func vectorArg(_ i: Int) throws -> [VectorSample] {
            guard i < args.count, case .vector(let v) = try eval(args[i], at: t) else { throw EvaluationError("\(name): expected an instant vector argument") }
            return v
        }
        func scalarArg(_ i: Int) throws -> Double {
            guard i < args.count, case .scalar(let v) = try eval(args[i], at: t) else { throw EvaluationError("\(name): expected a scalar argument") }
            return v
        }
        func stringArg(_ i: Int) throws -> String {
            guard i < args.count, case .string(let v) = try eval(args[i], at: t) else { throw EvaluationError("\(name): expected a string argument") }
            return v
        }
        func mapValues(_ f: (Double) -> Double) throws -> Value {
            .vector(try unique(try vectorArg(0).map { droppingName($0.labels, f($0.value)) }))
        }
        if let f = Self.math[name] { return try mapValues(f) }
        if name == "sum_over_time" || name == "avg_over_time" {
            guard case .matrix(let m) = try eval(args[0], at: t) else { throw EvaluationError("\(name): expected a range vector") }
            return .vector(try unique(m.map { s in
                let values = s.points.map(\.v)
                return droppingName(s.labels, name == "sum_over_time" ? kahanSum(values) : average(values))
            }))
        }
        if let f = Self.overTime[name] {
            guard case .matrix(let m) = try eval(args[0], at: t) else { throw EvaluationError("\(name): expected a range vector") }
            let out = m.compactMap { s in
                f(s.points).map { name == "last_over_time" ? VectorSample(labels: s.labels, value: $0, dropName: s.dropName) : droppingName(s.labels, $0) }
            }
            return .vector(name == "last_over_time" ? out : try unique(out))
        }
        switch name {
        case "rate", "increase", "delta":
            return .vector(try extrapolated(args[0], at: t, counter: name != "delta", rate: name == "rate"))
        case "irate", "idelta":
            guard case .matrix(let m) = try eval(args[0], at: t) else { throw EvaluationError("\(name): expected a range vector") }
            return .vector(m.compactMap { s in
                guard s.points.count >= 2 else { return nil }
                let a = s.points[s.points.count - 2], b = s.points[s.points.count - 1]
                var d = b.v - a.v
                if name == "irate" {
                    if b.v < a.v { d = b.v }
                    let dt = Double(b.t - a.t) / 1000
                    guard dt > 0 else { return nil }
                    d /= dt
                }
                return droppingName(s.labels, d)
            })
        case "time": return .scalar(Double(t) / 1000)
        case "start": return .scalar(Double(start) / 1000)
        case "end": return .scalar(Double(end) / 1000)
        case "range": return .scalar(Double(end - start) / 1000)
        case "step": return .scalar(Double(step) / 1000)
        case "min_of": return .scalar(Self.goMin(try scalarArg(0), try scalarArg(1)))
        case "max_of": return .scalar(Self.goMax(try scalarArg(0), try scalarArg(1)))
        case "pi": return .scalar(.pi)
        case "vector": return .vector([VectorSample(labels: [:], value: try scalarArg(0))])
        case "scalar":
            let v = try vectorArg(0)
            return .scalar(v.count == 1 ? v[0].value : .nan)
        case "clamp":
            let lo = try scalarArg(1), hi = try scalarArg(2)
            if lo > hi { return .vector([]) }
            return try mapValues { Self.goMax(lo, Self.goMin(hi, $0)) }
        case "clamp_min":
            let lo = try scalarArg(1)
            return try mapValues { Self.goMax(lo, $0) }
        case "clamp_max":
            let hi = try scalarArg(1)
            return try mapValues { Self.goMin(hi, $0) }
        case "sort_by_label", "sort_by_label_desc":
            let names = try (1..<args.count).map { try stringArg($0) }
            let v = try vectorArg(0)
            let ascending = v.sorted { a, b in
                for n in names {
                    let x = a.labels[n] ?? "", y = b.labels[n] ?? ""
                    if x != y { return SortOrder.less(x, y) }
                }
                return SortOrder.compare(a.labels, b.labels) < 0
            }
            return .vector(name == "sort_by_label" ? ascending : ascending.reversed())
        case "double_exponential_smoothing", "holt_winters":
            guard case .matrix(let m) = try eval(args[0], at: t) else { throw EvaluationError("\(name): expected a range vector") }
            let sf = try scalarArg(1), tf = try scalarArg(2)
            guard sf > 0, sf < 1 else { throw EvaluationError("invalid smoothing factor. Expected: 0 < sf < 1, got: \(sf)") }
            guard tf > 0, tf < 1 else { throw EvaluationError("invalid trend factor. Expected: 0 < tf < 1, got: \(tf)") }
            return .vector(m.compactMap { series in
                let p = series.points
                guard p.count >= 2 else { return nil }
                var s0 = 0.0, s1 = p[0].v, b = p[1].v - p[0].v
                for i in 1..<p.count {
                    let x = sf * p[i].v
                    if i > 1 { b = tf * (s1 - s0) + (1 - tf) * b }
                    let y = (1 - sf) * (s1 + b)
                    (s0, s1) = (s1, x + y)
                }
                return droppingName(series.labels, s1)
            })
        case "mad_over_time", "ts_of_min_over_time", "ts_of_max_over_time", "ts_of_last_over_time", "ts_of_first_over_time", "first_over_time":
            guard case .matrix(let m) = try eval(args[0], at: t) else { throw EvaluationError("\(name): expected a range vector") }
            return .vector(m.compactMap { series in
                let p = series.points
                guard let first = p.first, let last = p.last else { return nil }
                let value: Double
                switch name {
                case "mad_over_time" where p.contains { $0.v.isNaN }:
                    value = .nan
                case "mad_over_time":
                    let median = quantile(0.5, p.map(\.v))
                    value = quantile(0.5, p.map { abs($0.v - median) })
                case "ts_of_min_over_time": value = Double(p.min { $0.v < $1.v || ($1.v.isNaN && !$0.v.isNaN) }!.t) / 1000
                case "ts_of_max_over_time": value = Double(p.max { $0.v < $1.v || ($0.v.isNaN && !$1.v.isNaN) }!.t) / 1000
                case "ts_of_last_over_time": value = Double(last.t) / 1000
                case "ts_of_first_over_time": value = Double(first.t) / 1000
                default: value = first.v
                }
                return name == "first_over_time" ? VectorSample(labels: series.labels, value: value, dropName: series.dropName) : droppingName(series.labels, value)
            })
        case "round":
            let to = args.count > 1 ? try scalarArg(1) : 1
            // As Prometheus: multiply by the inverse, so 2.15 rounds to 2.2 at 0.1.
            let inverse = 1 / to
            return try mapValues { ($0 * inverse + 0.5).rounded(.down) / inverse }
        case "sort", "sort_desc":
            let v = try vectorArg(0)
            // NaN sorts last either way.
            return .vector(v.sorted { a, b in
                if a.value.isNaN || b.value.isNaN { return !a.value.isNaN && b.value.isNaN }
                return name == "sort" ? a.value < b.value : a.value > b.value
            })
        case "timestamp":
            return .vector(try timestamps(args[0], at: t))
        case "absent":
            return .vector(try vectorArg(0).isEmpty ? [VectorSample(labels: absentLabels(args[0]), value: 1)] : [])
        case "absent_over_time":
            guard case .matrix(let m) = try eval(args[0], at: t) else { throw EvaluationError("absent_over_time: expected a range vector") }
            return .vector(m.isEmpty ? [VectorSample(labels: absentLabels(args[0]), value: 1)] : [])
        case "label_replace":
            let dst = try stringArg(1), replacement = try stringArg(2), src = try stringArg(3), regex = try stringArg(4)
            guard Self.isLabelName(dst) else { throw EvaluationError("invalid destination label name in label_replace(): \(dst)") }
            return .vector(try Self.uniqueLabelSets(try labelReplace(try vectorArg(0), dst: dst, replacement: replacement, src: src, regex: regex)))
        case "label_join":
            let dst = try stringArg(1), separator = try stringArg(2)
            guard Self.isLabelName(dst) else { throw EvaluationError("invalid destination label name in label_join(): \(dst)") }
            let sources = try (3..<args.count).map { try stringArg($0) }
            return .vector(try Self.uniqueLabelSets(try vectorArg(0).map { s in
                var l = s.labels
                let joined = sources.map { s.labels[$0] ?? "" }.joined(separator: separator)
                l[dst] = joined.isEmpty ? nil : joined
                return VectorSample(labels: l, value: s.value, dropName: s.dropName && dst != "__name__")
            }))
        case "histogram_quantile":
            let q = try scalarArg(0)
            annotations.checkQuantile(q)
            return .vector(try histogramQuantile(q, try vectorArg(1)))
        case "histogram_quantiles":
            let buckets = try vectorArg(0), label = try stringArg(1)
            guard Self.isLabelName(label), !buckets.contains(where: { $0.labels[label] != nil }) else {
                throw EvaluationError("histogram_quantiles: label \(label) is not a free label name of the input")
            }
            return .vector(try (2..<args.count).flatMap { i in
                let q = try scalarArg(i)
                annotations.checkQuantile(q)
                return try histogramQuantile(q, buckets).map { s in
                    var labels = s.labels
                    labels[label] = Self.quantileLabel(q)
                    return VectorSample(labels: labels, value: s.value)
                }
            })
        case "quantile_over_time":
            let q = try scalarArg(0)
            annotations.checkQuantile(q)
            guard case .matrix(let m) = try eval(args[1], at: t) else { throw EvaluationError("quantile_over_time: expected a range vector") }
            return .vector(try unique(m.map { droppingName($0.labels, quantile(q, $0.points.map(\.v))) }))
        case "predict_linear", "deriv":
            guard case .matrix(let m) = try eval(args[0], at: t) else { throw EvaluationError("\(name): expected a range vector") }
            let horizon = name == "predict_linear" ? try scalarArg(1) : 0
            return .vector(m.compactMap { s in
                guard s.points.count >= 2 else { return nil }
                let (slope, intercept) = linearRegression(s.points, interceptAt: t)
                return droppingName(s.labels, name == "deriv" ? slope : intercept + slope * horizon)
            })
        case "hour", "minute", "month", "year", "day_of_month", "day_of_week", "day_of_year", "days_in_month":
            let inputs: [VectorSample] = args.isEmpty ? [VectorSample(labels: [:], value: Double(t) / 1000)] : try vectorArg(0)
            return .vector(try unique(inputs.map { droppingName($0.labels, Self.calendar(name, $0.value)) }))
        default:
            throw EvaluationError("function \(name) is not supported yet")
        }
    }

    /// Prometheus's `extrapolatedRate`: the change over the window, extrapolated to its edges.
    /// A selector's window is read straight from the query's decoded columns.
    mutating func extrapolated(_ arg: Expr, at t: Int64, counter: Bool, rate: Bool) throws -> [VectorSample] {
        switch arg {
        case .matrixSelector(let vs, let range):
            let end = evaluationTime(vs.modifiers, t)
            var out: [VectorSample] = []
            for s in try cached(vs, window: range, at: end) {
                let hi = s.index(after: end), lo = s.index(after: end - range, slot: 1)
                var window = ExtrapolationWindow()
                for k in lo..<hi where !StalenessMarker.isStale(s.v[k]) { window.add(s.t[k], s.v[k], counter: counter) }
                try budget.load(window.count)
                if counter && window.count > 0 && !s.counterNameChecked {
                    s.counterNameChecked = true
                    annotations.checkCounterName(s.labels)
                }
                if let v = window.value(start: end - range, end: end, counter: counter, rate: rate) { out.append(droppingName(s, v)) }
            }
            return out
        case .subquery(let inner, let range, let step, let modifiers):
            let end = evaluationTime(modifiers, t)
            return try subquery(inner, rangeMs: range, stepMs: step, modifiers: modifiers, at: t).compactMap { s in
                var window = ExtrapolationWindow()
                for p in s.points { window.add(p.t, p.v, counter: counter) }
                return window.value(start: end - range, end: end, counter: counter, rate: rate).map { droppingName(s.labels, $0) }
            }
        case .paren(let inner):
            return try extrapolated(inner, at: t, counter: counter, rate: rate)
        default:
            throw EvaluationError("expected a range vector")
        }
    }

    mutating func timestamps(_ arg: Expr, at t: Int64) throws -> [VectorSample] {
        if case .vectorSelector(let vs) = arg {
            let ts = evaluationTime(vs.modifiers, t)
            var out: [VectorSample] = []
            for s in try cached(vs, window: engine.lookbackMs, at: ts) {
                let i = s.index(after: ts) - 1
                guard i >= 0, s.t[i] > ts - engine.lookbackMs, !StalenessMarker.isStale(s.v[i]) else { continue }
                out.append(droppingName(s, Double(s.t[i]) / 1000))
            }
            return out
        }
        guard case .vector(let v) = try eval(arg, at: t) else { throw EvaluationError("timestamp: expected an instant vector") }
        return try unique(v.map { droppingName($0.labels, Double(t) / 1000) })
    }

    func absentLabels(_ arg: Expr) -> [String: String] {
        let matchers: [LabelMatcherLike]
        switch arg {
        case .vectorSelector(let vs): matchers = vs.matchers.map { ($0.name, $0.kind, $0.value) }
        case .matrixSelector(let vs, _): matchers = vs.matchers.map { ($0.name, $0.kind, $0.value) }
        default: return [:]
        }
        var out: [String: String] = [:]
        var seen: [String: Int] = [:]
        for (name, _, _) in matchers where name != "__name__" { seen[name, default: 0] += 1 }
        for (name, kind, value) in matchers where name != "__name__" && kind == .equal && seen[name] == 1 { out[name] = value }
        return out
    }

    func labelReplace(_ v: [VectorSample], dst: String, replacement: String, src: String, regex: String) throws -> [VectorSample] {
        let compiled: AnchoredRegex
        do { compiled = try AnchoredRegex(regex) } catch { throw EvaluationError("invalid regular expression in label_replace(): \(regex)") }
        return v.map { s in
            var l = s.labels
            if let expanded = compiled.expand(replacement, matching: s.labels[src] ?? "") {
                l[dst] = expanded.isEmpty ? nil : expanded
            }
            return VectorSample(labels: l, value: s.value, dropName: s.dropName && dst != "__name__")
        }
    }

    func linearRegression(_ points: [(t: Int64, v: Double)], interceptAt t: Int64) -> (slope: Double, intercept: Double) {
        var n = 0.0, sumX = 0.0, sumY = 0.0, sumXY = 0.0, sumX2 = 0.0
        for p in points {
            let x = Double(p.t - t) / 1000
            n += 1
            sumX += x
            sumY += p.v
            sumXY += x * p.v
            sumX2 += x * x
        }
        let covXY = sumXY - sumX * sumY / n
        let varX = sumX2 - sumX * sumX / n
        let slope = covXY / varX
        return (slope, sumY / n - slope * sumX / n)
    }

    /// A quantile as `histogram_quantiles` writes it into its label: always with a decimal point.
    static func quantileLabel(_ q: Double) -> String {
        q.isNaN ? "NaN" : q.isInfinite ? (q > 0 ? "+Inf" : "-Inf") : "\(q)"
    }

    static func isLabelName(_ s: String) -> Bool {
        guard let first = s.utf8.first, !(first >= 0x30 && first <= 0x39) else { return false }
        return s.utf8.allSatisfy { ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f }
    }

    /// Go's `math.Min` / `math.Max`: NaN wins.
    static func goMin(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : min(a, b) }
    static func goMax(_ a: Double, _ b: Double) -> Double { a.isNaN || b.isNaN ? .nan : max(a, b) }

    static let math: [String: @Sendable (Double) -> Double] = [
        "abs": { abs($0) }, "ceil": { ceil($0) }, "floor": { floor($0) }, "exp": { exp($0) }, "sqrt": { sqrt($0) },
        "ln": { log($0) }, "log2": { log2($0) }, "log10": { log10($0) },
        "sgn": { $0 > 0 ? 1 : $0 < 0 ? -1 : $0 },
        "sin": { sin($0) }, "cos": { cos($0) }, "tan": { tan($0) }, "asin": { asin($0) }, "acos": { acos($0) }, "atan": { atan($0) },
        "sinh": { sinh($0) }, "cosh": { cosh($0) }, "tanh": { tanh($0) }, "asinh": { asinh($0) }, "acosh": { acosh($0) }, "atanh": { atanh($0) },
        "deg": { $0 * 180 / .pi }, "rad": { $0 * .pi / 180 },
    ]

    static let overTime: [String: @Sendable ([(t: Int64, v: Double)]) -> Double?] = [
        "count_over_time": { p in p.isEmpty ? nil : Double(p.count) },
        "min_over_time": { p in p.isEmpty ? nil : p.map(\.v).reduce(Double.nan) { $0.isNaN || $1 < $0 ? $1 : $0 } },
        "max_over_time": { p in p.isEmpty ? nil : p.map(\.v).reduce(Double.nan) { $0.isNaN || $1 > $0 ? $1 : $0 } },
        "last_over_time": { p in p.last?.v },
        "present_over_time": { p in p.isEmpty ? nil : 1 },
        "changes": { p in
            guard let first = p.first else { return nil }
            var n = 0.0, prev = first.v
            for x in p.dropFirst() {
                if x.v != prev && !(x.v.isNaN && prev.isNaN) { n += 1 }
                prev = x.v
            }
            return n
        },
        "resets": { p in
            guard let first = p.first else { return nil }
            var n = 0.0, prev = first.v
            for x in p.dropFirst() {
                if x.v < prev { n += 1 }
                prev = x.v
            }
            return n
        },
        "stddev_over_time": { p in p.isEmpty ? nil : sqrt(Context.variance(p.map(\.v))) },
        "stdvar_over_time": { p in p.isEmpty ? nil : Context.variance(p.map(\.v)) },
    ]

    /// Calendar functions of a Unix time in seconds (UTC).
    static func calendar(_ name: String, _ seconds: Double) -> Double {
        let date = CivilDate(unixSeconds: Int64(seconds.rounded(.down)))
        switch name {
        case "hour": return Double(date.secondOfDay / 3600)
        case "minute": return Double(date.secondOfDay / 60 % 60)
        case "month": return Double(date.month)
        case "year": return Double(date.year)
        case "day_of_month": return Double(date.day)
        case "day_of_week": return Double(date.weekday)
        case "days_in_month": return Double(date.daysInMonth)
        default: return Double(date.dayOfYear)
        }
    }
}

typealias LabelMatcherLike = (String, LabelMatcher.Kind, String)
