/// Appends bits, most significant first, to a byte array: the stream layout of Prometheus's `bstream`.
struct BitWriter: Sendable {
    var bytes: [UInt8]
    /// Unused low bits in the last byte (0 when the next bit starts a new byte).
    var freeBits: Int = 0

    init(bytes: [UInt8]) { self.bytes = bytes }

    @inline(__always) mutating func writeBit(_ one: Bool) {
        if freeBits == 0 {
            bytes.append(0)
            freeBits = 8
        }
        freeBits -= 1
        if one { bytes[bytes.count - 1] |= 1 &<< UInt8(freeBits) }
    }

    /// Writes the lowest `count` bits of `value` (1...64).
    @inline(__always) mutating func writeBits(_ value: UInt64, _ count: Int) {
        var remaining = count
        var v = count == 64 ? value : value & ((1 &<< UInt64(count)) &- 1)
        while remaining > 0 {
            if freeBits == 0 {
                bytes.append(0)
                freeBits = 8
            }
            let take = min(freeBits, remaining)
            let part = UInt8(truncatingIfNeeded: v &>> UInt64(remaining - take))
            bytes[bytes.count - 1] |= part &<< UInt8(freeBits - take)
            freeBits -= take
            remaining -= take
            if remaining < 64 { v &= (1 &<< UInt64(remaining)) &- 1 }
        }
    }

    @inline(__always) mutating func writeByte(_ b: UInt8) { writeBits(UInt64(b), 8) }
}
