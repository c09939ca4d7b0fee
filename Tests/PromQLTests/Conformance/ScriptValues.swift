import PromQL
import TSDB

/// How the test-script language writes series, values and times.
enum ScriptValues {
    static func milliseconds(_ text: some StringProtocol) -> Int64? {
        if let v = Double(text) { return Int64((v * 1000).rounded()) }
        return try? PromQLDuration.milliseconds(String(text))
    }

    static func number(_ token: some StringProtocol) -> Double? { SeriesNotation.number(token) }

    /// The series notation (`SeriesNotation`, shared with rule unit tests); nil when a value is
    /// a native histogram (`{{…}}`) or unreadable.
    static func expand(_ tokens: [Substring]) -> [Double?]? {
        if tokens.contains(where: { $0.hasPrefix("{{") }) { return nil }
        return try? SeriesNotation.expand(tokens.joined(separator: " "))
    }

    /// `name{a="b"}` → labels, or nil when the text is not a series.
    static func labels(_ text: Substring) -> [String: String]? {
        if text == "{}" { return [:] }
        guard let selector = try? SeriesSelector(parsing: String(text)) else { return nil }
        var out: [String: String] = [:]
        for m in selector.matchers { out[m.name] = m.value }
        return out
    }

    /// Splits `series values…`, where the series may contain spaces inside quotes.
    static func splitSeries(_ line: Substring) -> (Substring, [Substring]) {
        var depth = 0, inQuote = false, end = line.endIndex
        for i in line.indices {
            let c = line[i]
            if c == "\"" { inQuote.toggle() }
            if !inQuote {
                if c == "{" { depth += 1 }
                if c == "}" { depth -= 1 }
                if (c == " " || c == "\t") && depth == 0 {
                    end = i
                    break
                }
            }
        }
        let rest = line[end...].split(whereSeparator: { $0 == " " || $0 == "\t" })
        return (line[..<end], rest)
    }

    static func close(_ a: Double, _ b: Double) -> Bool {
        if a.isNaN || b.isNaN { return a.isNaN && b.isNaN }
        if a == b { return true }
        return abs(a - b) <= 1e-6 * max(abs(a), abs(b))
    }
}

extension Dictionary where Key == String, Value == String {
    var signatureForTest: String { keys.sorted().map { "\($0)=\(self[$0]!)" }.joined(separator: ",") }
}
