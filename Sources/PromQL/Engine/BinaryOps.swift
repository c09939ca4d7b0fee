import TSDB
#if canImport(Glibc)
import Glibc
#endif

extension Context {
    static func arithmetic(_ op: String, _ a: Double, _ b: Double) -> Double? {
        switch op {
        case "+": a + b
        case "-": a - b
        case "*": a * b
        case "/": a / b
        case "%": fmod(a, b)
        case "^": pow(a, b)
        case "atan2": atan2(a, b)
        default: nil
        }
    }

    static func compare(_ op: String, _ a: Double, _ b: Double) -> Bool? {
        switch op {
        case "==": a == b
        case "!=": a != b
        case ">": a > b
        case "<": a < b
        case ">=": a >= b
        case "<=": a <= b
        default: nil
        }
    }

    static func isComparison(_ op: String) -> Bool { compare(op, 0, 0) != nil }

    /// One operation on two numbers: the value, or nil when a comparison filters it out.
    static func apply(_ op: String, _ a: Double, _ b: Double, returnBool: Bool) -> Double? {
        if let c = compare(op, a, b) {
            if returnBool { return c ? 1 : 0 }
            return c ? a : nil
        }
        return arithmetic(op, a, b)
    }

    func binary(_ op: String, _ lhs: Value, _ rhs: Value, returnBool: Bool, matching: VectorMatching?) throws -> Value {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)):
            if Self.isComparison(op) && !returnBool { throw EvaluationError("comparisons between scalars must use BOOL modifier") }
            return .scalar(Self.apply(op, a, b, returnBool: true) ?? 0)
        case (.vector(let v), .scalar(let b)):
            return .vector(v.compactMap { s in
                guard let r = Self.apply(op, s.value, b, returnBool: returnBool) else { return nil }
                let keepName = Self.isComparison(op) && !returnBool
                return keepName ? VectorSample(labels: s.labels, value: r, dropName: s.dropName) : droppingName(s.labels, r)
            })
        case (.scalar(let a), .vector(let v)):
            return .vector(v.compactMap { s in
                guard let r = Self.apply(op, a, s.value, returnBool: returnBool) else { return nil }
                let keepName = Self.isComparison(op) && !returnBool
                // A filtering comparison keeps the vector's own value.
                return keepName ? VectorSample(labels: s.labels, value: s.value, dropName: s.dropName) : droppingName(s.labels, r)
            })
        case (.vector(let l), .vector(let r)):
            switch op {
            case "and", "or", "unless": return .vector(setOperation(op, l, r, matching))
            default: return .vector(try vectorBinary(op, l, r, returnBool: returnBool, matching: matching ?? VectorMatching()))
            }
        default:
            throw EvaluationError("binary expression must contain only scalar and instant vector types")
        }
    }

    /// The labels a series is matched on: the `on` labels, or all but the `ignoring` ones and the name.
    func matchGroup(_ labels: [String: String], _ m: VectorMatching?) -> [String: String] {
        guard let m else { return labels.droppingName }
        if m.on { return labels.filter { m.labels.contains($0.key) } }
        return labels.droppingName.filter { !m.labels.contains($0.key) }
    }

    func matchKey(_ labels: [String: String], _ m: VectorMatching?) -> String {
        guard let m else { return labels.droppingName.signature }
        if m.on {
            return m.labels.sorted().map { "\($0)\u{1}\(labels[$0] ?? "")" }.joined(separator: "\u{2}")
        }
        var rest = labels.droppingName
        for l in m.labels { rest[l] = nil }
        return rest.signature
    }

    func setOperation(_ op: String, _ l: [VectorSample], _ r: [VectorSample], _ m: VectorMatching?) -> [VectorSample] {
        let matching = m.flatMap { $0.labels.isEmpty && !$0.on ? nil : $0 }
        let rightKeys = Set(r.map { matchKey($0.labels, matching) })
        switch op {
        case "and": return l.filter { rightKeys.contains(matchKey($0.labels, matching)) }
        case "unless": return l.filter { !rightKeys.contains(matchKey($0.labels, matching)) }
        default:
            let leftKeys = Set(l.map { matchKey($0.labels, matching) })
            return l + r.filter { !leftKeys.contains(matchKey($0.labels, matching)) }
        }
    }

    func vectorBinary(_ op: String, _ l: [VectorSample], _ r: [VectorSample], returnBool: Bool, matching m: VectorMatching) throws -> [VectorSample] {
        let match: VectorMatching? = (m.labels.isEmpty && !m.on && m.card == .oneToOne) ? nil : m
        // The "one" side is indexed; the "many" side is iterated.
        let manyIsLeft = m.card != .oneToMany
        let one = manyIsLeft ? r : l
        let many = manyIsLeft ? l : r
        var index: [String: VectorSample] = [:]
        for s in one {
            let k = matchKey(s.labels, match)
            if let earlier = index[k] {
                let group = Labels(matchGroup(s.labels, match)).braced
                throw EvaluationError("found duplicate series for the match group \(group) on the \(manyIsLeft ? "right" : "left") hand-side of the operation: [\(Labels(earlier.labels).braced), \(Labels(s.labels).braced)];many-to-many matching not allowed: matching labels must be unique on one side")
            }
            index[k] = s
        }
        var out: [VectorSample] = []
        var seen = Set<String>()
        for s in many {
            let k = matchKey(s.labels, match)
            guard let other = index[k] else { continue }
            let (a, b) = manyIsLeft ? (s, other) : (other, s)
            // One-to-one: each match group once, checked before a comparison filters (as Prometheus 3).
            if m.card == .oneToOne, !seen.insert(k).inserted {
                throw EvaluationError("multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)")
            }
            guard var value = Self.apply(op, a.value, b.value, returnBool: returnBool) else { continue }
            let filtering = Self.isComparison(op) && !returnBool
            if filtering { value = a.value }
            var labels: [String: String]
            let base = filtering ? (m.card == .oneToOne ? a : s) : droppingName(m.card == .oneToOne ? a.labels : s.labels, value)
            if m.card == .oneToOne {
                labels = base.labels
                if let match, match.on {
                    labels = labels.filter { match.labels.contains($0.key) }
                } else if let match {
                    for name in match.labels { labels[name] = nil }
                }
            } else {
                labels = base.labels
                for name in m.include {
                    if let v = other.labels[name], !v.isEmpty { labels[name] = v } else { labels[name] = nil }
                }
            }
            // Grouped: each result label set once per match group.
            if m.card != .oneToOne, !seen.insert(k + "\u{3}" + labels.signature).inserted {
                throw EvaluationError("multiple matches for labels: grouping labels must ensure unique matches")
            }
            out.append(VectorSample(labels: labels, value: value, dropName: base.dropName))
        }
        return out
    }
}
