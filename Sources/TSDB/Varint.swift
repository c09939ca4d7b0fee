/// Go's `binary.PutUvarint`: 7 bits a byte, low first.
@inline(__always) func appendUvarint(_ value: UInt64, to out: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
        out.append(UInt8(truncatingIfNeeded: v) | 0x80)
        v >>= 7
    }
    out.append(UInt8(v))
}

/// Go's `binary.PutVarint`: zig-zag, then uvarint.
@inline(__always) func appendVarint(_ value: Int64, to out: inout [UInt8]) {
    appendUvarint(zigZagEncode(value), to: &out)
}

/// Go's zig-zag mapping of signed to unsigned varint payloads.
@inline(__always) func zigZagEncode(_ x: Int64) -> UInt64 { UInt64(bitPattern: (x &<< 1) ^ (x >> 63)) }

@inline(__always) func zigZagDecode(_ ux: UInt64) -> Int64 {
    let x = Int64(bitPattern: ux &>> 1)
    return ux & 1 != 0 ? ~x : x
}

/// Go's `binary.ReadUvarint` over any byte source; nil on truncation or overflow.
@inline(__always) func decodeUvarint(_ nextByte: () -> UInt8?) -> UInt64? {
    var x: UInt64 = 0
    var shift: UInt64 = 0
    for i in 0..<10 {
        guard let b = nextByte() else { return nil }
        if b < 0x80 {
            if i == 9 && b > 1 { return nil }
            return x | UInt64(b) &<< shift
        }
        x |= UInt64(b & 0x7f) &<< shift
        shift += 7
    }
    return nil
}

/// Reads varints from a byte buffer at an offset; nil on truncation or overflow.
struct ByteReader {
    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func uvarint() -> UInt64? { decodeUvarint { byte() } }

    mutating func varint() -> Int64? { uvarint().map(zigZagDecode) }

    mutating func uint64() -> UInt64? {
        guard offset + 8 <= bytes.count else { return nil }
        var v: UInt64 = 0
        for k in 0..<8 { v |= UInt64(bytes[offset + k]) << (8 * UInt64(k)) }
        offset += 8
        return v
    }

    mutating func byte() -> UInt8? {
        guard offset < bytes.count else { return nil }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func bytes(_ count: Int) -> UnsafeRawBufferPointer? {
        guard count >= 0, offset + count <= bytes.count else { return nil }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    mutating func string() -> String? {
        guard let n = uvarint(), n <= UInt64(Int.max), let raw = bytes(Int(n)) else { return nil }
        return String(decoding: raw, as: UTF8.self)
    }
}

extension Array where Element == UInt8 {
    @inline(__always) mutating func appendLittleEndian(_ v: UInt64) {
        for k in 0..<8 { append(UInt8(truncatingIfNeeded: v >> (8 * UInt64(k)))) }
    }

    mutating func appendString(_ s: String) {
        appendUvarint(UInt64(s.utf8.count), to: &self)
        append(contentsOf: s.utf8)
    }
}
