import TSDB

/// An expression printed as Prometheus's `String()` prints it (what `/api/v1/format_query`
/// returns for queries that fit on one line): canonical spacing, `by (…)` before the argument,
/// matchers sorted, durations in Prometheus's units, strings quoted as Go quotes them.
extension Expr: CustomStringConvertible {
    public var description: String {
        switch self {
        case .number(let v): return Self.number(v)
        case .string(let s): return Self.quoted(s)
        case .vectorSelector(let vs): return Self.selector(vs) + Self.modifiers(vs.modifiers)
        case .matrixSelector(let vs, let range): return Self.selector(vs) + "[\(Self.duration(range))]" + Self.modifiers(vs.modifiers)
        case .subquery(let inner, let range, let step, let m):
            return "\(inner)[\(Self.duration(range)):\(step.map(Self.duration) ?? "")]" + Self.modifiers(m)
        case .call(let name, let args): return name + "(" + args.map(\.description).joined(separator: ", ") + ")"
        case .aggregate(let op, let inner, let param, let grouping, let without):
            return Self.aggregateHead(op, grouping, without) + "(" + (param.map { "\($0), " } ?? "") + "\(inner))"
        case .binary(let op, let lhs, let rhs, let returnBool, _):
            return "\(lhs) \(op)\(returnBool ? " bool" : "")\(Self.matchingText(self)) \(rhs)"
        case .unary(let op, let inner): return op + inner.description
        case .paren(let inner): return "(\(inner))"
        }
    }

    static func selector(_ vs: VectorSelector) -> String {
        let rest = vs.matchers.filter { !(vs.name != nil && $0.name == "__name__" && $0.kind == .equal) }
        let name = vs.name ?? ""
        if rest.isEmpty && !name.isEmpty { return name }
        // Matchers sorted as text and joined without spaces, as Prometheus 3 prints them.
        return name + "{" + rest.map { "\($0.name)\($0.kind.rawValue)\(quoted($0.value))" }.sorted().joined(separator: ",") + "}"
    }

    static func modifiers(_ m: Modifiers) -> String {
        var out = ""
        switch m.at {
        case .time(let s):
            // `%.3f` of the seconds.
            let ms = Int64((s * 1000).rounded()), whole = ms.magnitude / 1000, frac = ms.magnitude % 1000
            out += " @ \(ms < 0 ? "-" : "")\(whole).\(String(frac).leftPadded(3))"
        case .start: out += " @ start()"
        case .end: out += " @ end()"
        case nil: break
        }
        if m.offsetMs > 0 { out += " offset \(duration(m.offsetMs))" }
        if m.offsetMs < 0 { out += " offset -\(duration(-m.offsetMs))" }
        return out
    }

    /// Prometheus's `model.Duration` text: `1h30m`, `2d`, `1w`, `1y`, `500ms`; `0s` for zero.
    public static func duration(_ ms: Int64) -> String {
        if ms == 0 { return "0s" }
        var rest = ms, out = ""
        let units: [(String, Int64)] = [("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]
        for (unit, size) in units where rest >= size {
            out += "\(rest / size)\(unit)"
            rest %= size
        }
        return out
    }

    /// Go's `fmt.Sprint` of a float (`%v`): exponents from 1e21 and below 1e-4.
    static func number(_ v: Double) -> String { GoFloat.formatG(v) }

    /// A label value quoted as Prometheus prints it.
    public static func quotedForDisplay(_ s: String) -> String { quoted(s) }

    /// Go's `strconv.Quote` for the characters PromQL strings hold.
    static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 || c.value == 0x7f { out += "\\x" + String(c.value, radix: 16).leftPadded(2) } else { out.unicodeScalars.append(c) }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(_ n: Int) -> String { String(repeating: "0", count: max(0, n - count)) + self }
}

/// Prometheus's prettifier (`/api/v1/format_query`): a node whose one-line form exceeds 100
/// characters is split, its children one level deeper, two spaces per level.
extension Expr {
    public var prettified: String { pretty(0) }

    func pretty(_ level: Int) -> String {
        let pad = String(repeating: "  ", count: level)
        let line = description
        let split = line.count > 100
        switch self {
        case .aggregate(let op, let inner, let param, let grouping, let without) where split:
            var out = pad + Self.aggregateHead(op, grouping, without) + "(\n"
            if let param { out += param.pretty(level + 1) + ",\n" }
            return out + inner.pretty(level + 1) + "\n" + pad + ")"
        case .binary(let op, let lhs, let rhs, let returnBool, _) where split:
            return lhs.pretty(level + 1) + "\n" + pad + op + (returnBool ? " bool" : "") + Self.matchingText(self) + "\n" + rhs.pretty(level + 1)
        case .call(let name, let args) where split && !args.isEmpty:
            return pad + name + "(\n" + args.map { $0.pretty(level + 1) }.joined(separator: ",\n") + "\n" + pad + ")"
        case .paren(let inner) where split:
            return pad + "(\n" + inner.pretty(level + 1) + "\n" + pad + ")"
        case .subquery(let inner, let range, let step, let m):
            // As Prometheus: an unsplit subquery is not indented.
            guard split else { return line }
            return inner.pretty(level) + "[\(Self.duration(range)):\(step.map(Self.duration) ?? "")]" + Self.modifiers(m)
        case .unary(let op, let inner):
            return pad + op + inner.pretty(level).trimmingCharacters(in: " \n")
        default:
            return pad + line
        }
    }

    /// `sum by (a) ` / `sum without (a) ` / `sum`: an aggregation up to its opening parenthesis.
    static func aggregateHead(_ op: String, _ grouping: [String], _ without: Bool) -> String {
        if without { return op + " without (\(grouping.joined(separator: ", "))) " }
        return grouping.isEmpty ? op : op + " by (\(grouping.joined(separator: ", "))) "
    }

    /// ` on (…) group_left (…)` of a binary operation, as its one-line form writes it.
    static func matchingText(_ e: Expr) -> String {
        guard case .binary(let op, _, _, _, let m) = e, let m, m.on || !m.labels.isEmpty else { return "" }
        var out = " \(m.on ? "on" : "ignoring") (\(m.labels.joined(separator: ", ")))"
        if m.card != .oneToOne, !["and", "or", "unless"].contains(op) {
            out += " group_\(m.card == .manyToOne ? "left" : "right") (\(m.include.joined(separator: ", ")))"
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing characters from `set`.
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = Substring(self)
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
