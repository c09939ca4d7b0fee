#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact powers of ten that a Double holds without rounding (Clinger's fast path).
@usableFromInline let exactPowersOfTen: [Double] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
    1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
]

/// Parses a float exactly as Prometheus does (Go's `strconv.ParseFloat` without hex or `_`):
/// decimal with optional exponent, or case-insensitive `Inf`, `Infinity` (signed) and `NaN`.
/// Correctly rounded: short decimals take an exact fast path, the rest go to `strtod`.
public func parseFloat(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    var i = range.lowerBound
    let end = range.upperBound
    guard i < end, end <= buf.count else { return nil }
    var negative = false
    if buf[i] == UInt8(ascii: "-") || buf[i] == UInt8(ascii: "+") {
        negative = buf[i] == UInt8(ascii: "-")
        i += 1
        guard i < end else { return nil }
    }
    let c = buf[i] | 0x20
    if c == UInt8(ascii: "i") || c == UInt8(ascii: "n") {
        return parseSpecial(buf, i..<end, signed: i > range.lowerBound, negative: negative)
    }
    var mantissa: UInt64 = 0
    var significantDigits = 0
    var digits = 0
    var exponent = 0
    var sawDot = false
    var truncated = false
    while i < end {
        let b = buf[i]
        if b >= 0x30 && b <= 0x39 {
            digits += 1
            if mantissa == 0 && b == 0x30 {
                if sawDot { exponent -= 1 }
            } else if significantDigits < 19 {
                mantissa = mantissa &* 10 &+ UInt64(b &- 0x30)
                significantDigits += 1
                if sawDot { exponent -= 1 }
            } else {
                truncated = truncated || b != 0x30
                if !sawDot { exponent += 1 }
            }
        } else if b == UInt8(ascii: ".") && !sawDot {
            sawDot = true
        } else {
            break
        }
        i += 1
    }
    guard digits > 0 else { return nil }
    if i < end {
        guard buf[i] | 0x20 == UInt8(ascii: "e") else { return nil }
        i += 1
        var expNegative = false
        if i < end, buf[i] == UInt8(ascii: "-") || buf[i] == UInt8(ascii: "+") {
            expNegative = buf[i] == UInt8(ascii: "-")
            i += 1
        }
        guard i < end else { return nil }
        var e = 0
        while i < end {
            let b = buf[i]
            guard b >= 0x30 && b <= 0x39 else { return nil }
            if e < 100_000 { e = e * 10 + Int(b - 0x30) }
            i += 1
        }
        exponent += expNegative ? -e : e
    }
    if mantissa == 0 { return negative ? -0.0 : 0.0 }
    if !truncated, mantissa < (1 << 53), exponent >= -22, exponent <= 22 {
        var v = Double(mantissa)
        v = exponent < 0 ? v / exactPowersOfTen[-exponent] : v * exactPowersOfTen[exponent]
        return negative ? -v : v
    }
    return strtodFallback(buf, range)
}

private func parseSpecial(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, signed: Bool, negative: Bool) -> Double? {
    let word = buf[range]
    func equalsIgnoringCase(_ s: String) -> Bool {
        word.count == s.utf8.count && zip(word, s.utf8).allSatisfy { $0 | 0x20 == $1 }
    }
    if equalsIgnoringCase("inf") || equalsIgnoringCase("infinity") {
        return negative ? -.infinity : .infinity
    }
    if !signed, equalsIgnoringCase("nan") { return .nan }
    return nil
}

private func strtodFallback(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Double? {
    guard range.count < 512 else { return nil }
    return withUnsafeTemporaryAllocation(of: CChar.self, capacity: range.count + 1) { tmp in
        var k = 0
        for b in buf[range] {
            tmp[k] = CChar(bitPattern: b)
            k += 1
        }
        tmp[k] = 0
        var endPointer: UnsafeMutablePointer<CChar>? = nil
        let v = strtod(tmp.baseAddress!, &endPointer)
        guard let endPointer, endPointer - tmp.baseAddress! == range.count else { return nil }
        return v
    }
}

/// Parses a base-10 signed 64-bit integer (Go's `strconv.ParseInt`), nil on overflow or junk.
public func parseInt64(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int64? {
    var i = range.lowerBound
    let end = range.upperBound
    guard i < end, end <= buf.count else { return nil }
    var negative = false
    if buf[i] == UInt8(ascii: "-") || buf[i] == UInt8(ascii: "+") {
        negative = buf[i] == UInt8(ascii: "-")
        i += 1
        guard i < end else { return nil }
    }
    var magnitude: UInt64 = 0
    while i < end {
        let b = buf[i]
        guard b >= 0x30 && b <= 0x39 else { return nil }
        let (m1, o1) = magnitude.multipliedReportingOverflow(by: 10)
        let (m2, o2) = m1.addingReportingOverflow(UInt64(b - 0x30))
        guard !o1, !o2 else { return nil }
        magnitude = m2
        i += 1
    }
    if negative {
        guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
        return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int64(magnitude)
}
