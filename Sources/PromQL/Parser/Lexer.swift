/// Splits a PromQL query into tokens; errors carry the byte offset where they occur.
struct Lexer {
    let bytes: [UInt8]
    var i = 0
    /// Inside `[…]` a colon separates range and step; elsewhere it may start a metric name.
    var inBrackets = false

    init(_ text: String) { bytes = Array(text.utf8) }

    static let twoCharOps = ["==", "!=", ">=", "<=", "=~", "!~"]
    static let oneCharOps: Set<UInt8> = Set("+-*/%^><=,(){}[]:@".utf8)

    mutating func all() throws(PromQLError) -> [Token] {
        var out: [Token] = []
        while true {
            let t = try next()
            out.append(t)
            if t.kind == .end { return out }
        }
    }

    mutating func next() throws(PromQLError) -> Token {
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 || b == 0x0a || b == 0x0d {
                i += 1
            } else if b == UInt8(ascii: "#") {
                while i < bytes.count, bytes[i] != 0x0a { i += 1 }
            } else {
                break
            }
        }
        guard i < bytes.count else { return Token(kind: .end, offset: bytes.count) }
        let start = i
        let b = bytes[i]
        if b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") || b == UInt8(ascii: "`") {
            do {
                let (value, end) = try StringLiteral.read(bytes, at: i)
                i = end
                return Token(kind: .string(value), offset: start)
            } catch {
                throw PromQLError(offset: error.offset, message: error.message)
            }
        }
        if isDigit(b) || (b == UInt8(ascii: ".") && i + 1 < bytes.count && isDigit(bytes[i + 1])) {
            return try numberOrDuration()
        }
        if isNameStart(b) {
            while i < bytes.count, isNameChar(bytes[i]) || (bytes[i] == UInt8(ascii: ":") && !inBrackets) { i += 1 }
            let word = String(decoding: bytes[start..<i], as: UTF8.self)
            let lower = word.lowercased()
            if lower == "inf" || lower == "nan" {
                return Token(kind: .number(lower == "inf" ? .infinity : .nan), offset: start)
            }
            return Token(kind: .identifier(word), offset: start)
        }
        if i + 1 < bytes.count {
            let pair = String(decoding: bytes[i...(i + 1)], as: UTF8.self)
            if Self.twoCharOps.contains(pair) {
                i += 2
                return Token(kind: .op(pair), offset: start)
            }
        }
        if Self.oneCharOps.contains(b) {
            i += 1
            if b == UInt8(ascii: "[") { inBrackets = true }
            if b == UInt8(ascii: "]") { inBrackets = false }
            return Token(kind: .op(String(Unicode.Scalar(b))), offset: start)
        }
        throw PromQLError(offset: start, message: "unexpected character: '\(Character(Unicode.Scalar(b)))'")
    }

    /// A number (decimal, hex, exponent) or a duration (`5m`, `1h30m`, `1d`).
    mutating func numberOrDuration() throws(PromQLError) -> Token {
        let start = i
        if bytes[i] == UInt8(ascii: "0"), i + 1 < bytes.count, bytes[i + 1] | 0x20 == UInt8(ascii: "x") {
            i += 2
            let digitsStart = i
            while i < bytes.count, isHex(bytes[i]) { i += 1 }
            guard i > digitsStart, let v = UInt64(String(decoding: bytes[digitsStart..<i], as: UTF8.self), radix: 16) else {
                throw PromQLError(offset: start, message: "bad hexadecimal number")
            }
            return Token(kind: .number(Double(v)), offset: start)
        }
        while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        // A duration: digits followed by a unit, possibly several (1h30m).
        if i < bytes.count, "smhdwy".utf8.contains(bytes[i]) {
            i = start
            return Token(kind: .duration(try duration()), offset: start)
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count, isDigit(bytes[i]) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            var j = i + 1
            if j < bytes.count, bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-") { j += 1 }
            if j < bytes.count, isDigit(bytes[j]) {
                i = j
                while i < bytes.count, isDigit(bytes[i]) { i += 1 }
            }
        }
        guard let v = Double(String(decoding: bytes[start..<i], as: UTF8.self)) else {
            throw PromQLError(offset: start, message: "bad number")
        }
        if i < bytes.count, isNameStart(bytes[i]) {
            throw PromQLError(offset: start, message: "bad number or duration syntax: \"\(String(decoding: bytes[start...i], as: UTF8.self))\"")
        }
        return Token(kind: .number(v), offset: start)
    }

    mutating func duration() throws(PromQLError) -> Int64 {
        let start = i
        while i < bytes.count, isDigit(bytes[i]) || (bytes[i] | 0x20 >= 0x61 && bytes[i] | 0x20 <= 0x7a) { i += 1 }
        let text = String(decoding: bytes[start..<i], as: UTF8.self)
        do {
            return try DurationText.parse(text)
        } catch {
            throw PromQLError(offset: start, message: "not a valid duration string: \"\(text)\"")
        }
    }

    func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
    func isHex(_ b: UInt8) -> Bool { isDigit(b) || (b | 0x20 >= 0x61 && b | 0x20 <= 0x66) }
    func isNameStart(_ b: UInt8) -> Bool { (b | 0x20 >= 0x61 && b | 0x20 <= 0x7a) || b == 0x5f || (b == UInt8(ascii: ":") && !inBrackets) }
    func isNameChar(_ b: UInt8) -> Bool { isNameStart(b) || isDigit(b) }
}

/// Prometheus durations: units `y w d h m s ms`, largest first (`1h30m`, `5m`, `500ms`).
enum DurationText {
    struct Invalid: Error {}

    static func parse(_ text: String) throws(Invalid) -> Int64 {
        let units: [(String, Int64)] = [("y", 31_536_000_000), ("w", 604_800_000), ("d", 86_400_000), ("h", 3_600_000), ("ms", 1), ("m", 60_000), ("s", 1000)]
        var rest = Substring(text)
        var total: Int64 = 0
        var lastRank = -1
        let rank = ["y": 0, "w": 1, "d": 2, "h": 3, "m": 4, "s": 5, "ms": 6]
        guard !rest.isEmpty else { throw Invalid() }
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let n = Int64(digits) else { throw Invalid() }
            rest = rest.dropFirst(digits.count)
            guard let (unit, ms) = units.first(where: { rest.hasPrefix($0.0) && !($0.0 == "m" && rest.hasPrefix("ms")) }),
                  let r = rank[unit], r > lastRank else { throw Invalid() }
            lastRank = r
            rest = rest.dropFirst(unit.count)
            total += n * ms
        }
        return total
    }
}

/// Parses a PromQL duration (`5m`, `1h30m`) to milliseconds.
public enum PromQLDuration {
    public struct Invalid: Error {}

    public static func milliseconds(_ text: String) throws(Invalid) -> Int64 {
        do { return try DurationText.parse(text) } catch { throw Invalid() }
    }
}
