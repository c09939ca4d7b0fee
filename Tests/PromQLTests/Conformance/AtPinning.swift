import PromQL

/// The reference runner's `@` re-runs: every selector and subquery without `@` gets `@ t`
/// (selectors under a pinned subquery are left alone), so the query's value no longer depends
/// on when it is evaluated — except through the functions listed as unsafe.
enum AtPinning {
    /// Functions whose value depends on the evaluation time itself; queries using them are not re-run.
    static let unsafeFunctions: Set<String> = [
        "days_in_month", "day_of_month", "day_of_week", "day_of_year", "hour", "minute", "month", "year",
        "predict_linear", "time", "timestamp", "start", "end", "range", "step",
    ]

    /// The query with `@ seconds` pinned, or nil when it uses an unsafe function.
    static func pinned(_ e: Expr, at seconds: Double) -> Expr? {
        if uses(e, unsafeFunctions) { return nil }
        return pin(e, seconds)
    }

    private static func pin(_ e: Expr, _ s: Double) -> Expr {
        switch e {
        case .number, .string: return e
        case .vectorSelector(var vs):
            if vs.modifiers.at == nil { vs.modifiers.at = .time(s) }
            return .vectorSelector(vs)
        case .matrixSelector(var vs, let range):
            if vs.modifiers.at == nil { vs.modifiers.at = .time(s) }
            return .matrixSelector(vs, rangeMs: range)
        case .subquery(let inner, let range, let step, var m):
            if m.at != nil { return e }
            m.at = .time(s)
            return .subquery(inner, rangeMs: range, stepMs: step, modifiers: m)
        case .call(let name, let args): return .call(name, args.map { pin($0, s) })
        case .aggregate(let op, let inner, let p, let g, let w):
            return .aggregate(op: op, expr: pin(inner, s), parameter: p.map { pin($0, s) }, grouping: g, without: w)
        case .binary(let op, let l, let r, let b, let m): return .binary(op: op, lhs: pin(l, s), rhs: pin(r, s), returnBool: b, matching: m)
        case .unary(let op, let inner): return .unary(op: op, pin(inner, s))
        case .paren(let inner): return .paren(pin(inner, s))
        }
    }

    static func uses(_ e: Expr, _ names: Set<String>) -> Bool { e.calls(names) }

    /// Every selector of the query.
    static func selectors(_ e: Expr) -> [VectorSelector] {
        switch e {
        case .number, .string: return []
        case .vectorSelector(let vs), .matrixSelector(let vs, _): return [vs]
        case .subquery(let inner, _, _, _), .unary(_, let inner), .paren(let inner): return selectors(inner)
        case .call(_, let args): return args.flatMap(selectors)
        case .aggregate(_, let inner, let p, _, _): return selectors(inner) + (p.map(selectors) ?? [])
        case .binary(_, let l, let r, _, _): return selectors(l) + selectors(r)
        }
    }
}
