import PromQL
#if canImport(Glibc)
import Glibc
#endif

/// A value inside a Go-style template: what `$labels`, `$value`, `query` results and function
/// results are.
public indirect enum TemplateValue: Sendable {
    case string(String)
    case number(Double)
    case int(Int)
    case bool(Bool)
    case map([String: TemplateValue])
    case list([TemplateValue])
    /// A query result element: `.Labels` and `.Value`.
    case sample(labels: [String: String], value: Double)
    case null

    /// Go's truth: false, 0, "", nil and empty collections are false.
    var truthy: Bool {
        switch self {
        case .string(let s): !s.isEmpty
        case .number(let v): v != 0
        case .int(let v): v != 0
        case .bool(let b): b
        case .map(let m): !m.isEmpty
        case .list(let l): !l.isEmpty
        case .sample: true
        case .null: false
        }
    }

    /// The value as the template prints it (Go's `fmt.Print`).
    var printed: String {
        switch self {
        case .string(let s): s
        case .number(let v): GoFloat.formatG(v)
        case .int(let v): String(v)
        case .bool(let b): b ? "true" : "false"
        case .map(let m): "map[" + m.keys.sorted().map { "\($0):\(m[$0]!.printed)" }.joined(separator: " ") + "]"
        case .list(let l): "[" + l.map(\.printed).joined(separator: " ") + "]"
        case .sample(let labels, let value): "{\(labels.keys.sorted().map { "\($0)=\(labels[$0]!)" }.joined(separator: ", "))} \(GoFloat.formatG(value))"
        case .null: "<no value>"
        }
    }

    /// `.Field` of the value: a map's key, or a sample's `Labels` / `Value`.
    func field(_ name: String) -> TemplateValue {
        switch self {
        case .map(let m): return m[name] ?? .null
        case .sample(let labels, let value):
            if name == "Labels" { return .map(labels.mapValues { .string($0) }) }
            if name == "Value" { return .number(value) }
            return .null
        default: return .null
        }
    }

    var number: Double? {
        switch self {
        case .number(let v): v
        case .int(let v): Double(v)
        case .string(let s): Double(s)
        case .sample(_, let v): v
        default: nil
        }
    }
}

/// Go's `fmt` number verbs, through C's `snprintf`, which formats them the same way.
enum GoFormat {
    /// A C-style verb with a float argument (`%.4g`, `%.2f`, `%e`), Go's spelling of Inf and NaN.
    static func c(_ format: String, _ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        var buffer = [CChar](repeating: 0, count: 64)
        _ = withVaList([v]) { vsnprintf(&buffer, 64, format, $0) }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
