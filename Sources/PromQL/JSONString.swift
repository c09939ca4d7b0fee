/// A string as a JSON literal, escaped as Go's encoder escapes what API answers carry; the one
/// writer for the query API, explanations and recommendations.
public enum JSONString {
    /// A number as JSON has it: non-finite values (an unbounded estimate) as `null`.
    public static func number(_ v: Double) -> String { v.isFinite ? "\(v)" : "null" }

    public static func quote(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if c.value < 0x20 {
                    let hex = String(c.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(c)
                }
            }
        }
        return out + "\""
    }
}
