import TSDB

/// The series notation of PromQL test scripts and rule unit tests (`promtool test rules`):
/// `1 2 3`, `a+bxN`, `a-bxN`, `axN` (N+1 values), `_` (no sample), `_xN` (N gaps), `stale`.
public enum SeriesNotation {
    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    /// One value (nil for a missing sample) per interval from t = 0.
    public static func expand(_ text: String) throws(Invalid) -> [Double?] {
        var out: [Double?] = []
        for token in text.split(whereSeparator: \.isWhitespace) {
            if token == "_" { out.append(nil); continue }
            if token == "stale" { out.append(StalenessMarker.value); continue }
            if let x = token.lastIndex(of: "x"), let count = Int(token[token.index(after: x)...]) {
                let head = token[..<x]
                if head == "_" {
                    out += Array(repeating: nil, count: count)
                    continue
                }
                var start = head, step = Substring("0"), sign = 1.0
                if let plus = head.dropFirst().firstIndex(of: "+") {
                    (start, step) = (head[..<plus], head[head.index(after: plus)...])
                } else if let minus = head.dropFirst().firstIndex(of: "-") {
                    (start, step, sign) = (head[..<minus], head[head.index(after: minus)...], -1)
                }
                guard let a = number(start), let b = number(step) else { throw Invalid(description: "invalid series value \"\(token)\"") }
                for k in 0...count { out.append(a + sign * b * Double(k)) }
                continue
            }
            guard let v = number(token) else { throw Invalid(description: "invalid series value \"\(token)\"") }
            out.append(v)
        }
        return out
    }

    /// A value as the notation writes it: a float, `Inf`, `+Inf`, `-Inf` or `NaN`.
    public static func number(_ s: some StringProtocol) -> Double? {
        switch s {
        case "Inf", "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(s)
        }
    }
}
