/// PromQL string literals: `"…"` and `'…'` with Go's escapes, and raw `` `…` ``.
enum StringLiteral {
    /// Why a literal is malformed, and where (offset into the literal).
    struct Problem: Error {
        let offset: Int
        let message: String
    }

    /// Reads the literal starting at `bytes[start]` (a quote); returns its value and the index after it.
    static func read(_ bytes: [UInt8], at start: Int) throws(Problem) -> (value: String, end: Int) {
        let quote = bytes[start]
        var i = start + 1
        var out: [UInt8] = []
        while i < bytes.count {
            let b = bytes[i]
            if b == quote { return (String(decoding: out, as: UTF8.self), i + 1) }
            if quote == UInt8(ascii: "`") {
                out.append(b)
                i += 1
                continue
            }
            if b == UInt8(ascii: "\n") { throw Problem(offset: i, message: "unterminated quoted string") }
            guard b == UInt8(ascii: "\\") else {
                out.append(b)
                i += 1
                continue
            }
            i += 1
            guard i < bytes.count else { break }
            let e = bytes[i]
            i += 1
            switch e {
            case UInt8(ascii: "a"): out.append(7)
            case UInt8(ascii: "b"): out.append(8)
            case UInt8(ascii: "f"): out.append(12)
            case UInt8(ascii: "n"): out.append(10)
            case UInt8(ascii: "r"): out.append(13)
            case UInt8(ascii: "t"): out.append(9)
            case UInt8(ascii: "v"): out.append(11)
            case UInt8(ascii: "\\"): out.append(e)
            case quote: out.append(e)
            case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                let digits = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                guard i + digits <= bytes.count, let v = UInt32(String(decoding: bytes[i..<(i + digits)], as: UTF8.self), radix: 16) else {
                    throw Problem(offset: i, message: "invalid escape sequence")
                }
                i += digits
                if e == UInt8(ascii: "x") {
                    out.append(UInt8(v))
                } else {
                    guard let scalar = Unicode.Scalar(v) else { throw Problem(offset: i, message: "invalid Unicode code point in escape sequence") }
                    out.append(contentsOf: Array(String(scalar).utf8))
                }
            case UInt8(ascii: "0")...UInt8(ascii: "7"):
                guard i + 2 <= bytes.count, let v = UInt32(String(decoding: bytes[(i - 1)..<(i + 2)], as: UTF8.self), radix: 8), v < 256 else {
                    throw Problem(offset: i, message: "invalid escape sequence")
                }
                i += 2
                out.append(UInt8(v))
            default:
                throw Problem(offset: i - 1, message: "unknown escape sequence \"\\\(Character(Unicode.Scalar(e)))\"")
            }
        }
        throw Problem(offset: bytes.count, message: "unterminated quoted string")
    }
}
