import PromQL
import TSDB

/// `/api/v1/parse_query`: the syntax tree as Prometheus's API writes it (keys in Go's sorted
/// map order; `timestamp` in milliseconds or null; `startOrEnd` "start", "end" or null).
enum ParseQueryJSON {
    static func tree(_ e: Expr) -> String {
        switch e {
        case .number(let v): return JSONText.object(["type": JSONText.string("numberLiteral"), "val": JSONText.string(GoFloat.format(v))])
        case .string(let s): return JSONText.object(["type": JSONText.string("stringLiteral"), "val": JSONText.string(s)])
        case .paren(let inner): return JSONText.object(["type": JSONText.string("parenExpr"), "expr": tree(inner)])
        case .unary(let op, let inner): return JSONText.object(["type": JSONText.string("unaryExpr"), "op": JSONText.string(op), "expr": tree(inner)])
        case .vectorSelector(let vs):
            return JSONText.object(["type": JSONText.string("vectorSelector"), "name": JSONText.string(vs.name ?? ""), "matchers": matchers(vs.matchers)].merging(modifiers(vs.modifiers)) { a, _ in a })
        case .matrixSelector(let vs, let range):
            return JSONText.object(["type": JSONText.string("matrixSelector"), "name": JSONText.string(vs.name ?? ""), "matchers": matchers(vs.matchers), "range": String(range)]
                .merging(modifiers(vs.modifiers)) { a, _ in a })
        case .subquery(let inner, let range, let step, let m):
            return JSONText.object(["type": JSONText.string("subquery"), "expr": tree(inner), "range": String(range), "step": String(step ?? 0)].merging(modifiers(m)) { a, _ in a })
        case .call(let name, let args):
            let sig = FunctionSignature.of(name)
            let fn = JSONText.object([
                "name": JSONText.string(name), "argTypes": "[" + (sig?.argTypes ?? []).map(JSONText.string).joined(separator: ",") + "]",
                "variadic": String(sig?.variadic ?? 0), "returnType": JSONText.string(sig?.returnType ?? "vector"),
            ])
            return JSONText.object(["type": JSONText.string("call"), "func": fn, "args": "[" + args.map(tree).joined(separator: ",") + "]"])
        case .aggregate(let op, let inner, let param, let grouping, let without):
            return JSONText.object(["type": JSONText.string("aggregation"), "op": JSONText.string(op), "expr": tree(inner), "param": param.map(tree) ?? "null",
                           "grouping": JSONText.list(grouping), "without": String(without)])
        case .binary(let op, let lhs, let rhs, let returnBool, let m):
            let setOp = ["and", "or", "unless"].contains(op)
            var matching = "null"
            if isVector(lhs) && isVector(rhs) {
                let vm = m ?? VectorMatching()
                let card = setOp ? "many-to-many" : vm.card == .manyToOne ? "many-to-one" : vm.card == .oneToMany ? "one-to-many" : "one-to-one"
                matching = JSONText.object(["card": JSONText.string(card), "labels": JSONText.list(vm.labels), "on": String(vm.on), "include": JSONText.list(vm.include)])
            }
            return JSONText.object(["type": JSONText.string("binaryExpr"), "op": JSONText.string(op), "lhs": tree(lhs), "rhs": tree(rhs), "matching": matching, "bool": String(returnBool)])
        }
    }

    /// Whether an expression is vector-typed, which decides whether a binary operation has matching.
    static func isVector(_ e: Expr) -> Bool {
        switch e {
        case .number, .string, .matrixSelector, .subquery: return false
        case .vectorSelector, .aggregate: return true
        case .paren(let inner), .unary(_, let inner): return isVector(inner)
        case .call(let name, _): return FunctionSignature.of(name)?.returnType != "scalar"
        case .binary(_, let l, let r, _, _): return isVector(l) || isVector(r)
        }
    }

    static func modifiers(_ m: Modifiers) -> [String: String] {
        var out = ["offset": String(m.offsetMs), "timestamp": "null", "startOrEnd": "null"]
        switch m.at {
        case .time(let s): out["timestamp"] = String(Int64((s * 1000).rounded()))
        case .start: out["startOrEnd"] = JSONText.string("start")
        case .end: out["startOrEnd"] = JSONText.string("end")
        case nil: break
        }
        return out
    }

    static func matchers(_ ms: [LabelMatcher]) -> String {
        "[" + ms.map { JSONText.object(["name": JSONText.string($0.name), "type": JSONText.string($0.kind.rawValue), "value": JSONText.string($0.value)]) }.joined(separator: ",") + "]"
    }

}
