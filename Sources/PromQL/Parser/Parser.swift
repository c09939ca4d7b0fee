import TSDB

/// Parses PromQL (Prometheus 3 grammar, float samples) into an `Expr`.
///
/// Precedence, loosest first: `or`; `and` `unless`; comparisons; `+` `-`; `*` `/` `%` `atan2`;
/// `^` (right-associative). Unary minus binds like `*`, so `-2 ^ 2` is `-(2 ^ 2)`.
public struct Parser {
    var tokens: [Token]
    var p = 0

    public static func parse(_ query: String) throws(PromQLError) -> Expr {
        var lexer = Lexer(query)
        var parser = Parser(tokens: try lexer.all())
        let expr = try parser.expression(0)
        guard case .end = parser.peek.kind else { throw parser.unexpected("end of input") }
        return expr
    }

    static let aggregations: Set<String> = [
        "sum", "min", "max", "avg", "group", "stddev", "stdvar", "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio",
    ]
    static let parameterised: Set<String> = ["count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio"]

    static let functions: Set<String> = [
        "abs", "absent", "absent_over_time", "acos", "acosh", "asin", "asinh", "atan", "atanh", "avg_over_time", "ceil", "changes",
        "clamp", "clamp_max", "clamp_min", "cos", "cosh", "count_over_time", "day_of_month", "day_of_week", "day_of_year",
        "days_in_month", "deg", "delta", "deriv", "double_exponential_smoothing", "holt_winters", "exp", "floor",
        "histogram_quantile", "hour", "idelta", "increase", "irate", "label_join", "label_replace", "last_over_time", "ln",
        "log10", "log2", "mad_over_time", "max_over_time", "min_over_time", "minute", "month", "pi", "predict_linear",
        "present_over_time", "quantile_over_time", "rad", "rate", "resets", "round", "scalar", "sgn", "sin", "sinh", "sort",
        "sort_by_label", "sort_by_label_desc", "sort_desc", "sqrt", "stddev_over_time", "stdvar_over_time", "sum_over_time",
        "tan", "tanh", "time", "timestamp", "vector", "year",
        // Accepted so that scripts using them parse; the engine reports them as unsupported.
        "histogram_avg", "histogram_count", "histogram_sum", "histogram_fraction", "histogram_stddev", "histogram_stdvar",
        "info", "ts_of_max_over_time", "ts_of_min_over_time", "ts_of_last_over_time", "ts_of_first_over_time", "first_over_time",
        "histogram_quantiles", "step", "range", "start", "end", "min_of", "max_of",
    ]

    /// Binary operators and their precedence (higher binds tighter).
    static func precedence(_ op: String) -> Int? {
        switch op {
        case "or": 1
        case "and", "unless": 2
        case "==", "!=", ">", "<", ">=", "<=": 3
        case "+", "-": 4
        case "*", "/", "%", "atan2": 5
        case "^": 6
        default: nil
        }
    }

    var peek: Token { tokens[p] }

    mutating func advance() -> Token {
        let t = tokens[p]
        if p < tokens.count - 1 { p += 1 }
        return t
    }

    func unexpected(_ expected: String) -> PromQLError {
        let found: String
        switch peek.kind {
        case .end: found = "end of input"
        case .identifier(let s): found = "identifier \"\(s)\""
        case .number(let v): found = "number \"\(v)\""
        case .duration: found = "duration"
        case .string(let s): found = "string \"\(s)\""
        case .op(let o): found = "\"\(o)\""
        }
        return PromQLError(offset: peek.offset, message: "unexpected \(found), expected \(expected)")
    }

    mutating func expect(_ op: String) throws(PromQLError) {
        guard case .op(op) = peek.kind else { throw unexpected("\"\(op)\"") }
        _ = advance()
    }

    /// The operator at the cursor, with keywords lowercased.
    var binaryOp: String? {
        switch peek.kind {
        case .op(let o) where Self.precedence(o) != nil: return o
        case .identifier(let w) where ["and", "or", "unless", "atan2"].contains(w.lowercased()): return w.lowercased()
        default: return nil
        }
    }

    mutating func expression(_ minPrecedence: Int) throws(PromQLError) -> Expr {
        var lhs = try unary()
        while let op = binaryOp, let prec = Self.precedence(op), prec > minPrecedence {
            _ = advance()
            var returnBool = false
            if case .identifier(let w) = peek.kind, w.lowercased() == "bool" {
                guard prec == 3 else { throw PromQLError(offset: peek.offset, message: "bool modifier can only be used on comparison operators") }
                _ = advance()
                returnBool = true
            }
            let matching = try vectorMatching(op)
            let rhs = try expression(op == "^" ? prec - 1 : prec)
            lhs = .binary(op: op, lhs: lhs, rhs: rhs, returnBool: returnBool, matching: matching)
        }
        return lhs
    }

    mutating func vectorMatching(_ op: String) throws(PromQLError) -> VectorMatching? {
        guard case .identifier(let w) = peek.kind, ["on", "ignoring"].contains(w.lowercased()) else {
            if ["and", "or", "unless"].contains(op) { return VectorMatching(on: false, labels: [], card: .manyToOne, include: []) }
            return nil
        }
        _ = advance()
        var m = VectorMatching()
        m.on = w.lowercased() == "on"
        m.labels = try labelList()
        if case .identifier(let g) = peek.kind, ["group_left", "group_right"].contains(g.lowercased()) {
            if ["and", "or", "unless"].contains(op) {
                throw PromQLError(offset: peek.offset, message: "no grouping allowed for \"\(op)\" operation")
            }
            _ = advance()
            m.card = g.lowercased() == "group_left" ? .manyToOne : .oneToMany
            if case .op("(") = peek.kind { m.include = try labelList() }
        }
        return m
    }

    mutating func labelList() throws(PromQLError) -> [String] {
        try expect("(")
        var out: [String] = []
        while true {
            if case .op(")") = peek.kind {
                _ = advance()
                return out
            }
            switch peek.kind {
            case .identifier(let name) where !name.contains(":"):
                out.append(name)
            case .string(let name):
                out.append(name)
            default:
                throw unexpected("a label name")
            }
            _ = advance()
            if case .op(",") = peek.kind { _ = advance() } else if case .op(")") = peek.kind {} else { throw unexpected("\",\" or \")\"") }
        }
    }

    mutating func unary() throws(PromQLError) -> Expr {
        if case .op(let o) = peek.kind, o == "-" || o == "+" {
            _ = advance()
            let operand = try expression(5)
            if case .number(let v) = operand, o == "-" { return .number(-v) }
            return o == "-" ? .unary(op: "-", operand) : operand
        }
        return try postfix(try primary())
    }

    mutating func primary() throws(PromQLError) -> Expr {
        let t = peek
        switch t.kind {
        case .number(let v):
            _ = advance()
            return .number(v)
        case .duration(let ms):
            // Prometheus 3: a duration where a number goes is its length in seconds.
            _ = advance()
            return .number(Double(ms) / 1000)
        case .string(let s):
            _ = advance()
            return .string(s)
        case .op("("):
            _ = advance()
            let inner = try expression(0)
            try expect(")")
            return .paren(inner)
        case .op("{"):
            return .vectorSelector(try selector(name: nil, at: t.offset))
        case .identifier(let word):
            _ = advance()
            let lower = word.lowercased()
            if Self.aggregations.contains(lower), isAggregationStart {
                return try aggregation(lower)
            }
            if case .op("(") = peek.kind {
                guard Self.functions.contains(word) else {
                    throw PromQLError(offset: t.offset, message: "unknown function with name \"\(word)\"")
                }
                return .call(word, try arguments())
            }
            if ["and", "or", "unless", "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "offset"].contains(lower),
               !(peek.kind == .op("{")) {
                throw PromQLError(offset: t.offset, message: "unexpected keyword \"\(word)\", expected an expression")
            }
            return .vectorSelector(try selector(name: word, at: t.offset))
        default:
            throw unexpected("an expression")
        }
    }

    var isAggregationStart: Bool {
        switch peek.kind {
        case .op("("): return true
        case .identifier(let w): return ["by", "without"].contains(w.lowercased())
        default: return false
        }
    }

    mutating func arguments() throws(PromQLError) -> [Expr] {
        try expect("(")
        var args: [Expr] = []
        if case .op(")") = peek.kind {
            _ = advance()
            return args
        }
        while true {
            args.append(try expression(0))
            if case .op(",") = peek.kind {
                _ = advance()
                continue
            }
            try expect(")")
            return args
        }
    }

    mutating func aggregation(_ op: String) throws(PromQLError) -> Expr {
        var grouping: [String] = []
        var without = false
        var hasGrouping = false
        if case .identifier(let w) = peek.kind, ["by", "without"].contains(w.lowercased()) {
            _ = advance()
            without = w.lowercased() == "without"
            grouping = try labelList()
            hasGrouping = true
        }
        let start = peek.offset
        let args = try arguments()
        if case .identifier(let w) = peek.kind, ["by", "without"].contains(w.lowercased()) {
            guard !hasGrouping else { throw PromQLError(offset: peek.offset, message: "grouping given twice") }
            _ = advance()
            without = w.lowercased() == "without"
            grouping = try labelList()
        }
        let wanted = Self.parameterised.contains(op) ? 2 : 1
        guard args.count == wanted else {
            throw PromQLError(offset: start, message: "wrong number of arguments for aggregate expression provided, expected \(wanted), got \(args.count)")
        }
        return .aggregate(op: op, expr: args[wanted - 1], parameter: wanted == 2 ? args[0] : nil, grouping: grouping, without: without)
    }

    mutating func selector(name: String?, at offset: Int) throws(PromQLError) -> VectorSelector {
        var matchers: [LabelMatcher] = []
        var metric = name
        if let name { matchers.append(.equal("__name__", name)) }
        if case .op("{") = peek.kind {
            _ = advance()
            while true {
                if case .op("}") = peek.kind {
                    _ = advance()
                    break
                }
                let labelToken = peek
                let label: String
                switch labelToken.kind {
                case .identifier(let n): label = n
                case .string(let n): label = n
                default: throw unexpected("a label matcher")
                }
                _ = advance()
                // `{"metric.name"}`: a quoted name alone is the metric name.
                if case .string = labelToken.kind, case .op(let o) = peek.kind, o == "," || o == "}" {
                    guard metric == nil else { throw PromQLError(offset: labelToken.offset, message: "metric name must not be set twice") }
                    metric = label
                    matchers.append(.equal("__name__", label))
                } else {
                    guard case .op(let o) = peek.kind, ["=", "!=", "=~", "!~"].contains(o) else { throw unexpected("one of =, !=, =~, !~") }
                    _ = advance()
                    guard case .string(let value) = peek.kind else { throw unexpected("a string") }
                    _ = advance()
                    let kind: LabelMatcher.Kind = o == "=" ? .equal : o == "!=" ? .notEqual : o == "=~" ? .regexMatch : .notRegexMatch
                    do { matchers.append(try LabelMatcher(kind, label, value)) } catch {
                        throw PromQLError(offset: labelToken.offset, message: "\(error)")
                    }
                }
                if case .op(",") = peek.kind { _ = advance() } else if case .op("}") = peek.kind {} else { throw unexpected("\",\" or \"}\"") }
            }
        }
        if matchers.filter({ $0.name == "__name__" }).count > 1, name != nil, matchers.dropFirst().contains(where: { $0.name == "__name__" }) {
            throw PromQLError(offset: offset, message: "metric name must not be set twice: \"\(name ?? "")\"")
        }
        guard !matchers.allSatisfy({ $0.matches("") }) else {
            throw PromQLError(offset: offset, message: "vector selector must contain at least one non-empty matcher")
        }
        return VectorSelector(name: metric, matchers: matchers)
    }

    /// `[range]`, `[range:step]`, `offset d` and `@ t` after an expression.
    mutating func postfix(_ base: Expr) throws(PromQLError) -> Expr {
        var expr = base
        while true {
            switch peek.kind {
            case .op("["):
                let open = advance()
                guard let range = durationOrSeconds() else { throw unexpected("a duration") }
                if case .op(":") = peek.kind {
                    _ = advance()
                    let step = durationOrSeconds()
                    try expect("]")
                    expr = .subquery(expr, rangeMs: range, stepMs: step, modifiers: Modifiers())
                } else {
                    try expect("]")
                    guard case .vectorSelector(let vs) = expr else {
                        throw PromQLError(offset: open.offset, message: "ranges only allowed for vector selectors")
                    }
                    expr = .matrixSelector(vs, rangeMs: range)
                }
            case .identifier(let w) where w.lowercased() == "offset":
                _ = advance()
                var sign: Int64 = 1
                if case .op("-") = peek.kind {
                    _ = advance()
                    sign = -1
                }
                guard let d = durationOrSeconds() else { throw unexpected("a duration") }
                expr = try modify(expr) { $0.offsetMs = sign * d }
            case .op("@"):
                let atToken = advance()
                var at: Modifiers.At
                switch peek.kind {
                case .number, .duration:
                    at = .time(Double(durationOrSeconds() ?? 0) / 1000)
                case .op(let sign) where sign == "-" || sign == "+":
                    _ = advance()
                    guard let ms = durationOrSeconds() else { throw unexpected("a timestamp") }
                    at = .time(Double(sign == "-" ? -ms : ms) / 1000)
                case .identifier(let w) where w == "start" || w == "end":
                    _ = advance()
                    try expect("(")
                    try expect(")")
                    at = w == "start" ? .start : .end
                default:
                    throw unexpected("a timestamp, start() or end()")
                }
                if case .time(let v) = at, !v.isFinite {
                    throw PromQLError(offset: atToken.offset, message: "timestamp out of bounds for @ modifier: \(v)")
                }
                expr = try modify(expr) { $0.at = at }
            default:
                return expr
            }
        }
    }

    /// A duration token, or a number of seconds (Prometheus 3 accepts both), in milliseconds.
    mutating func durationOrSeconds() -> Int64? {
        switch peek.kind {
        case .duration(let ms):
            _ = advance()
            return ms
        case .number(let v) where v.isFinite && abs(v) < 9e15:
            _ = advance()
            return Int64((v * 1000).rounded())
        default:
            return nil
        }
    }

    func modify(_ expr: Expr, _ change: (inout Modifiers) -> Void) throws(PromQLError) -> Expr {
        switch expr {
        case .vectorSelector(var vs):
            change(&vs.modifiers)
            return .vectorSelector(vs)
        case .matrixSelector(var vs, let range):
            change(&vs.modifiers)
            return .matrixSelector(vs, rangeMs: range)
        case .subquery(let e, let range, let step, var m):
            change(&m)
            return .subquery(e, rangeMs: range, stepMs: step, modifiers: m)
        default:
            throw PromQLError(offset: peek.offset, message: "offset and @ modifiers must follow a selector or a subquery")
        }
    }
}
