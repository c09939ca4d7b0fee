import TSDB

/// A parsed PromQL expression.
public indirect enum Expr: Sendable {
    case number(Double)
    case string(String)
    case vectorSelector(VectorSelector)
    case matrixSelector(VectorSelector, rangeMs: Int64)
    case subquery(Expr, rangeMs: Int64, stepMs: Int64?, modifiers: Modifiers)
    case call(String, [Expr])
    case aggregate(op: String, expr: Expr, parameter: Expr?, grouping: [String], without: Bool)
    case binary(op: String, lhs: Expr, rhs: Expr, returnBool: Bool, matching: VectorMatching?)
    case unary(op: String, Expr)
    case paren(Expr)
}

/// `offset` and `@` of a selector or subquery.
public struct Modifiers: Sendable, Equatable {
    public var offsetMs: Int64 = 0
    public enum At: Sendable, Equatable { case time(Double), start, end }
    public var at: At? = nil
    public init() {}
}

/// A series selector with its name, matchers and modifiers.
public struct VectorSelector: Sendable {
    public var name: String?
    public var matchers: [LabelMatcher]
    public var modifiers = Modifiers()
}

/// `on` / `ignoring` and `group_left` / `group_right` of a binary operation.
public struct VectorMatching: Sendable, Equatable {
    public enum Card: Sendable, Equatable { case oneToOne, manyToOne, oneToMany }
    public var on = false
    public var labels: [String] = []
    public var card = Card.oneToOne
    public var include: [String] = []

    public init(on: Bool = false, labels: [String] = [], card: Card = .oneToOne, include: [String] = []) {
        self.on = on
        self.labels = labels
        self.card = card
        self.include = include
    }
}

extension Expr {
    /// Whether any of the named functions is called anywhere in the expression.
    public func calls(_ names: Set<String>) -> Bool {
        switch self {
        case .number, .string, .vectorSelector, .matrixSelector: return false
        case .subquery(let inner, _, _, _), .unary(_, let inner), .paren(let inner): return inner.calls(names)
        case .call(let name, let args): return names.contains(name) || args.contains { $0.calls(names) }
        case .aggregate(_, let inner, let p, _, _): return inner.calls(names) || (p?.calls(names) ?? false)
        case .binary(_, let l, let r, _, _): return l.calls(names) || r.calls(names)
        }
    }

    /// The metric names its selectors select by name (`x` or `{__name__="x"}`), in order.
    public var metricNames: [String] {
        func name(_ s: VectorSelector) -> [String] {
            s.name.map { [$0] } ?? s.matchers.filter { $0.name == "__name__" && $0.kind == .equal }.map(\.value)
        }
        switch self {
        case .number, .string: return []
        case .vectorSelector(let s), .matrixSelector(let s, _): return name(s)
        case .subquery(let inner, _, _, _), .unary(_, let inner), .paren(let inner): return inner.metricNames
        case .call(_, let args): return args.flatMap(\.metricNames)
        case .aggregate(_, let inner, let p, _, _): return inner.metricNames + (p?.metricNames ?? [])
        case .binary(_, let l, let r, _, _): return l.metricNames + r.metricNames
        }
    }
}
