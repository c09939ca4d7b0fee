import PromQL
import TSDB

/// How the test-script language writes series, values and times.
enum ScriptValues {
    static func milliseconds(_ text: some StringProtocol) -> Int64? {
        if let v = Double(text) { return Int64((v * 1000).rounded()) }
        return try? PromQLDuration.milliseconds(String(text))
    }

    static func number(_ token: some StringProtocol) -> Double? {
        switch token {
        case "Inf", "+Inf": .infinity
        case "-Inf": -.infinity
        case "NaN": .nan
        default: Double(token)
        }
    }

    /// `0+10x3` → 0 10 20 30; `1x2` → 1 1 1; `_x2` → nil nil; `stale` → the marker; nil when a
    /// value is a native histogram (`{{…}}`) or unreadable.
    static func expand(_ tokens: [Substring]) -> [Double?]? {
        var out: [Double?] = []
        for token in tokens {
            if token == "_" { out.append(nil); continue }
            if token == "stale" { out.append(StalenessMarker.value); continue }
            if token.hasPrefix("{{") { return nil }
            // `0x59` is 0 repeated, not hexadecimal, in a series' values.
            if let x = token.firstIndex(of: "x") {
                let head = token[..<x]
                guard let count = Int(token[token.index(after: x)...]) else { return nil }
                if head == "_" {
                    out.append(contentsOf: Array(repeating: nil, count: count))
                    continue
                }
                var start = head, step = Substring("0"), sign = 1.0
                if let plus = head.dropFirst().firstIndex(of: "+") {
                    start = head[..<plus]
                    step = head[head.index(after: plus)...]
                } else if let minus = head.dropFirst().firstIndex(of: "-") {
                    start = head[..<minus]
                    step = head[head.index(after: minus)...]
                    sign = -1
                }
                guard let a = number(start), let b = number(step) else { return nil }
                // As the reference runner: each value is the start plus k steps, not a running sum.
                for k in 0...count { out.append(a + sign * b * Double(k)) }
                continue
            }
            guard let v = number(token) else { return nil }
            out.append(v)
        }
        return out
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
