/// Go's float formatting where Prometheus's output depends on it.
public enum GoFloat {
    /// Go's `%g`: shortest representation, an exponent from 1e21 or below 1e-4.
    public static func formatG(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        let magnitude = abs(v)
        // Both write exponents as `1e-05` and `1e+21`.
        if magnitude != 0 && (magnitude < 1e-4 || magnitude >= 1e21) { return "\(v)" }
        return format(v)
    }

    /// Go's `strconv.FormatFloat(v, 'f', -1, 64)`: shortest round-trip digits, never an exponent.
    public static func format(_ v: Double) -> String {
        if v.isNaN { return "NaN" }
        if v.isInfinite { return v > 0 ? "+Inf" : "-Inf" }
        let text = "\(v)"
        guard let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) else {
            return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
        }
        let mantissa = text[..<e], exponent = Int(text[text.index(after: e)...]) ?? 0
        let negative = mantissa.hasPrefix("-")
        let digitsPart = negative ? mantissa.dropFirst() : mantissa[...]
        let pointIndex = digitsPart.firstIndex(of: ".").map { digitsPart.distance(from: digitsPart.startIndex, to: $0) } ?? digitsPart.count
        var digits = digitsPart.filter { $0 != "." }
        var point = pointIndex + exponent
        if point <= 0 {
            digits = String(repeating: "0", count: -point + 1) + digits
            point = 1
        }
        while digits.count < point { digits += "0" }
        var intPart = String(digits.prefix(point)), fracPart = String(digits.dropFirst(point))
        while fracPart.hasSuffix("0") { fracPart.removeLast() }
        if intPart.isEmpty { intPart = "0" }
        return (negative ? "-" : "") + intPart + (fracPart.isEmpty ? "" : "." + fracPart)
    }
}
