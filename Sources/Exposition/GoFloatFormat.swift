/// Appends `value` as Go's `strconv.FormatFloat(v, 'g', -1, 64)` writes it, with Prometheus's
/// spellings of the specials (`+Inf`, `-Inf`, `NaN`): what Prometheus and client_golang expose.
///
/// Go's shortest `'g'` uses the exponent form when the decimal exponent is below -4 or at least 6
/// (`1e+06`, `1.234567e+06`, `1e-05`) and plain decimals otherwise (`123456`, `0.0001`).
public func appendGoFloat(_ value: Double, to out: inout [UInt8]) {
    if value.isNaN { out.append(contentsOf: "NaN".utf8); return }
    if value.isInfinite { out.append(contentsOf: (value < 0 ? "-Inf" : "+Inf").utf8); return }
    if value == 0 {
        out.append(contentsOf: (value.sign == .minus ? "-0" : "0").utf8)
        return
    }
    let decimal = ShortestDecimal(value)
    if value < 0 { out.append(UInt8(ascii: "-")) }
    let exp = decimal.pointPosition - 1
    if exp < -4 || exp >= 6 {
        out.append(decimal.digits[0])
        if decimal.digits.count > 1 {
            out.append(UInt8(ascii: "."))
            out.append(contentsOf: decimal.digits[1...])
        }
        out.append(UInt8(ascii: "e"))
        out.append(exp < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
        let magnitude = abs(exp)
        if magnitude < 10 { out.append(UInt8(ascii: "0")) }
        appendInteger(Int64(magnitude), to: &out)
        return
    }
    let dp = decimal.pointPosition
    if dp <= 0 {
        out.append(contentsOf: "0.".utf8)
        for _ in 0 ..< -dp { out.append(UInt8(ascii: "0")) }
        out.append(contentsOf: decimal.digits)
        return
    }
    let nd = decimal.digits.count
    for k in 0..<dp { out.append(k < nd ? decimal.digits[k] : UInt8(ascii: "0")) }
    if nd > dp {
        out.append(UInt8(ascii: "."))
        out.append(contentsOf: decimal.digits[dp...])
    }
}

/// Appends a base-10 integer.
public func appendInteger(_ value: Int64, to out: inout [UInt8]) {
    if value < 0 { out.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    if magnitude == 0 { out.append(UInt8(ascii: "0")); return }
    var scratch: (UInt64, UInt64, UInt64) = (0, 0, 0)
    withUnsafeMutableBytes(of: &scratch) { digits in
        var n = 0
        while magnitude > 0 {
            digits[n] = UInt8(magnitude % 10) + 0x30
            magnitude /= 10
            n += 1
        }
        while n > 0 {
            n -= 1
            out.append(digits[n])
        }
    }
}

/// The shortest round-tripping decimal digits of a finite non-zero double and where the point goes:
/// value = 0.d1d2d3… × 10^pointPosition. Swift's `description` produces the same shortest digits
/// as Go's Ryū-based formatter.
struct ShortestDecimal {
    var digits: [UInt8] = []
    var pointPosition = 0

    init(_ value: Double) {
        digits.reserveCapacity(20)
        var sawPoint = false
        var exponent = 0
        var inExponent = false
        var expNegative = false
        for b in value.magnitude.description.utf8 {
            if inExponent {
                if b == UInt8(ascii: "-") {
                    expNegative = true
                } else if b != UInt8(ascii: "+") {
                    exponent = exponent * 10 + Int(b - 0x30)
                }
                continue
            }
            switch b {
            case UInt8(ascii: "."): sawPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"): inExponent = true
            default:
                if digits.isEmpty && b == UInt8(ascii: "0") {
                    if sawPoint { pointPosition -= 1 }
                    continue
                }
                digits.append(b)
                if !sawPoint { pointPosition += 1 }
            }
        }
        while digits.last == UInt8(ascii: "0") { digits.removeLast() }
        pointPosition += expNegative ? -exponent : exponent
    }
}
