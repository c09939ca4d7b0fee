/// Whether `buf[range]` is well-formed UTF-8 (no overlongs, surrogates or code points past U+10FFFF).
func isValidUTF8(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
    var i = range.lowerBound
    let end = range.upperBound
    while i < end {
        let b0 = buf[i]
        if b0 < 0x80 { i += 1; continue }
        let length: Int
        var lowerLimit: UInt8 = 0x80
        var upperLimit: UInt8 = 0xbf
        switch b0 {
        case 0xc2...0xdf: length = 2
        case 0xe0: length = 3; lowerLimit = 0xa0
        case 0xe1...0xec, 0xee, 0xef: length = 3
        case 0xed: length = 3; upperLimit = 0x9f
        case 0xf0: length = 4; lowerLimit = 0x90
        case 0xf1...0xf3: length = 4
        case 0xf4: length = 4; upperLimit = 0x8f
        default: return false
        }
        guard i + length <= end else { return false }
        let b1 = buf[i + 1]
        guard b1 >= lowerLimit, b1 <= upperLimit else { return false }
        for k in 2..<length where buf[i + k] & 0xc0 != 0x80 { return false }
        i += length
    }
    return true
}
