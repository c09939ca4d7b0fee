import TSDB

/// Evaluates PromQL against a querier, Prometheus 3 semantics: a 5-minute lookback by default,
/// staleness markers end series, left-open range windows, and range queries evaluated step by step.
public struct Engine: Sendable {
    public let querier: HeadQuerier
    public var lookbackMs: Int64 = 5 * 60_000
    /// Drop metric names only from the final result (Prometheus's `promql-delayed-name-removal`,
    /// on in its test engine, off by default in its server).
    public var delayedNameRemoval = false
    /// Samples held, timeout and cancellation.
    public var limits = QueryLimits()

    public init(querier: HeadQuerier) { self.querier = querier }

    /// The value of `query` at `timeMs`.
    public func instant(_ query: String, atMs timeMs: Int64) throws -> Value {
        try instant(Parser.parse(query), atMs: timeMs)
    }

    /// The value of a parsed expression at `timeMs`.
    public func instant(_ expr: Expr, atMs timeMs: Int64) throws -> Value {
        try instantResult(expr, atMs: timeMs).value
    }

    /// The value of a parsed expression at `timeMs`, with its warnings and infos.
    public func instantResult(_ expr: Expr, atMs timeMs: Int64) throws -> QueryResult {
        var ctx = Context(engine: self, start: timeMs, end: timeMs, step: 0, budget: QueryBudget(limits))
        let value = try ctx.eval(expr, at: timeMs).finishingNames()
        return QueryResult(value: value, warnings: ctx.annotations.warnings, infos: ctx.annotations.infos)
    }

    /// `query` at every step from `startMs` to `endMs`, one matrix series per label set.
    public func range(_ query: String, startMs: Int64, endMs: Int64, stepMs: Int64) throws -> Value {
        try range(Parser.parse(query), startMs: startMs, endMs: endMs, stepMs: stepMs)
    }

    /// A parsed expression at every step from `startMs` to `endMs`, series sorted by labels as
    /// Prometheus returns them.
    public func range(_ expr: Expr, startMs: Int64, endMs: Int64, stepMs: Int64) throws -> Value {
        try rangeResult(expr, startMs: startMs, endMs: endMs, stepMs: stepMs).value
    }

    /// A range query's matrix with its warnings and infos.
    public func rangeResult(_ expr: Expr, startMs: Int64, endMs: Int64, stepMs: Int64) throws -> QueryResult {
        var ctx = Context(engine: self, start: startMs, end: endMs, step: stepMs, budget: QueryBudget(limits))
        let value = try ctx.evaluateRange(expr)
        return QueryResult(value: value, warnings: ctx.annotations.warnings, infos: ctx.annotations.infos)
    }
}

extension Context {
    mutating func evaluateRange(_ expr: Expr) throws -> Value {
        if expr.calls(["sort", "sort_desc", "sort_by_label", "sort_by_label_desc"]) {
            annotations.warn("PromQL warning: sort is ineffective for range queries since results are always ordered by labels")
        }
        if let series = try seriesMajor(expr) {
            if let ordered = StepSeries.alreadyOrdered(series) { return .matrix(ordered) }
            guard case .matrix(let finished) = try Value.matrix(series).finishingNames() else { return .matrix([]) }
            return .matrix(StepSeries.sortedMerged(finished))
        }
        var steps = StepSeries()
        var t = start
        while t <= end {
            // What is held: the result so far, plus what this step loads.
            budget.held = steps.points
            let value = try eval(expr, at: t)
            if case .string = value { throw EvaluationError("range queries are not allowed on string expressions") }
            if case .matrix = value {
                throw EvaluationError("invalid expression type \"range vector\" for range query, must be Scalar or instant Vector")
            }
            steps.add(value, at: t)
            t += step
        }
        guard case .matrix(let series) = try Value.matrix(steps.series).finishingNames() else { return .matrix([]) }
        return .matrix(StepSeries.sortedMerged(series))
    }
}

/// The state of one query: its time bounds and step (for `@ start()`, `@ end()` and the
/// `start()`, `end()`, `range()` and `step()` functions; the step is 0 for an instant query).
struct Context {
    let engine: Engine
    let start: Int64
    let end: Int64
    let step: Int64
    let budget: QueryBudget
    let cache = SelectionCache()
    let annotations = Annotations()

    mutating func eval(_ expr: Expr, at t: Int64) throws -> Value {
        switch expr {
        case .number(let v): return .scalar(v)
        case .string(let s): return .string(s)
        case .paren(let e): return try eval(e, at: t)
        case .vectorSelector(let vs): return .vector(try selectInstant(vs, at: t))
        case .matrixSelector(let vs, let range): return .matrix(try selectRange(vs, rangeMs: range, at: t))
        case .subquery(let inner, let range, let step, let m):
            return .matrix(try subquery(inner, rangeMs: range, stepMs: step, modifiers: m, at: t))
        case .unary(_, let e):
            switch try eval(e, at: t) {
            case .scalar(let v): return .scalar(-v)
            case .vector(let samples):
                return .vector(try unique(samples.map { droppingName($0.labels, -$0.value) }))
            default: throw EvaluationError("unary expression only allowed on expressions of type scalar or instant vector")
            }
        case .binary(let op, let lhs, let rhs, let returnBool, let matching):
            return try binary(op, try eval(lhs, at: t), try eval(rhs, at: t), returnBool: returnBool, matching: matching)
        case .aggregate(let op, let e, let param, let grouping, let without):
            guard case .vector(let samples) = try eval(e, at: t) else { throw EvaluationError("expected instant vector in aggregation") }
            let p = try param.map { try eval($0, at: t) }
            return try aggregate(op, samples, parameter: p, grouping: grouping, without: without)
        case .call(let name, let args):
            return try call(name, args, at: t)
        }
    }

    func evaluationTime(_ m: Modifiers, _ t: Int64) -> Int64 {
        let base: Int64
        switch m.at {
        case .time(let s): base = Int64((s * 1000).rounded())
        case .start: base = start
        case .end: base = end
        case nil: base = t
        }
        return base - m.offsetMs
    }

    /// The selector's series with samples in `(ts - window, ts]`, from the query's cache.
    func cached(_ vs: VectorSelector, window: Int64, at ts: Int64) throws -> [CachedSeries] {
        try budget.check()
        return try cache.series(vs.matchers, minT: ts - window + 1, maxT: ts, through: evaluationTime(vs.modifiers, end),
                                querier: engine.querier, budget: budget)
    }

    /// Each series' latest sample within the lookback, unless it is a staleness marker.
    func selectInstant(_ vs: VectorSelector, at t: Int64) throws -> [VectorSample] {
        let ts = evaluationTime(vs.modifiers, t)
        let selected = try cached(vs, window: engine.lookbackMs, at: ts)
        var out: [VectorSample] = []
        out.reserveCapacity(selected.count)
        for s in selected {
            let i = s.index(after: ts) - 1
            guard i >= 0, s.t[i] > ts - engine.lookbackMs, !StalenessMarker.isStale(s.v[i]) else { continue }
            out.append(VectorSample(labels: s.labels, value: s.v[i], ref: s.ref))
        }
        try budget.load(out.count)
        return out
    }

    /// Each series' samples in the left-open window `(ts - range, ts]`, staleness markers left out.
    func selectRange(_ vs: VectorSelector, rangeMs: Int64, at t: Int64) throws -> [RangeSeries] {
        let ts = evaluationTime(vs.modifiers, t)
        var out: [RangeSeries] = []
        for s in try cached(vs, window: rangeMs, at: ts) {
            let hi = s.index(after: ts), lo = s.index(after: ts - rangeMs, slot: 1)
            guard lo < hi else { continue }
            var points: [(t: Int64, v: Double)] = []
            points.reserveCapacity(hi - lo)
            for k in lo..<hi where !StalenessMarker.isStale(s.v[k]) { points.append((s.t[k], s.v[k])) }
            try budget.load(points.count)
            if !points.isEmpty { out.append(RangeSeries(labels: s.labels, points: points)) }
        }
        return out
    }

    mutating func subquery(_ inner: Expr, rangeMs: Int64, stepMs: Int64?, modifiers: Modifiers, at t: Int64) throws -> [RangeSeries] {
        let ts = evaluationTime(modifiers, t)
        let step = stepMs ?? 60_000
        // Steps are aligned to multiples of the step, within (ts - range, ts].
        var first = (ts - rangeMs) / step * step
        if first <= ts - rangeMs { first += step }
        var steps = StepSeries()
        var st = first
        while st <= ts {
            try budget.check()
            let value = try eval(inner, at: st)
            switch value {
            case .vector, .scalar: steps.add(value, at: st)
            default: throw EvaluationError("subquery is only allowed on instant vector or scalar")
            }
            st += step
        }
        return steps.series
    }
}

/// Collects step-by-step results into one series per label set, in order of first appearance
/// (a scalar becomes one series without labels): the shape of range queries and subqueries.
struct StepSeries {
    /// A sample's series: its stored number when its labels are a stored series' own (with or
    /// without the name), else its label set.
    private enum Key: Hashable {
        case ref(SeriesRef, withoutName: Bool, dropName: Bool)
        case labels([String: String], dropName: Bool)
    }

    private var byKey: [Key: Int] = [:]
    private(set) var series: [RangeSeries] = []
    /// Points collected so far.
    private(set) var points = 0

    mutating func add(_ value: Value, at t: Int64) {
        switch value {
        case .scalar(let v): append(.labels([:], dropName: false), [:], v, t, dropName: false)
        case .vector(let samples):
            for s in samples {
                let key = s.ref.map { Key.ref($0, withoutName: s.withoutName, dropName: s.dropName) } ?? .labels(s.labels, dropName: s.dropName)
                append(key, s.labels, s.value, t, dropName: s.dropName)
            }
        default: break
        }
    }

    private mutating func append(_ key: Key, _ labels: @autoclosure () -> [String: String], _ v: Double, _ t: Int64, dropName: Bool) {
        points += 1
        if let i = byKey[key] {
            series[i].points.append((t, v))
        } else {
            byKey[key] = series.count
            series.append(RangeSeries(labels: labels(), points: [(t, v)], dropName: dropName))
        }
    }

    /// Series-major results come in the store's label order, one series per stored series: when
    /// every series drops the same name, that order and uniqueness survive, and the general merge
    /// (a signature and a sort key per series) is not needed.
    static func alreadyOrdered(_ series: [RangeSeries]) -> [RangeSeries]? {
        guard let first = series.first, first.dropName else { return nil }
        let name = first.labels["__name__"]
        guard series.allSatisfy({ $0.dropName && $0.labels["__name__"] == name }) else { return nil }
        return series.map { s in
            var labels = s.labels
            labels["__name__"] = nil
            return RangeSeries(labels: labels, points: s.points)
        }
    }

    /// The series in Prometheus's order (by label set), any two with the same labels (one found by
    /// number, one by labels) merged.
    static func sortedMerged(_ series: [RangeSeries]) -> [RangeSeries] {
        let keyed = series.map { s in (key: s.labels.sorted { $0.key < $1.key }.map { [$0.key, $0.value] }, series: s) }
            .sorted { a, b in a.key.lexicographicallyPrecedes(b.key) { $0.lexicographicallyPrecedes($1) } }
        var out: [RangeSeries] = []
        var previous: [[String]]? = nil
        for (key, s) in keyed {
            if key == previous {
                out[out.count - 1].points = (out[out.count - 1].points + s.points).sorted { $0.t < $1.t }
            } else {
                out.append(s)
            }
            previous = key
        }
        return out
    }
}
