/// Reads bits, most significant first, from a byte buffer. Reads past the end return nil
/// instead of trapping, so a corrupt chunk ends iteration rather than the process.
struct BitReader {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Bit offset of the next bit to read.
    var position: Int

    init(bytes: UnsafeBufferPointer<UInt8>, bitPosition: Int) {
        self.bytes = bytes
        self.position = bitPosition
    }

    @inline(__always) var remaining: Int { bytes.count &* 8 &- position }

    @inline(__always) mutating func readBit() -> Bool? {
        guard position < bytes.count &* 8 else { return nil }
        let b = bytes[position &>> 3]
        let bit = (b &>> UInt8(7 &- (position & 7))) & 1
        position &+= 1
        return bit == 1
    }

    /// Reads `count` bits (1...64) as an unsigned integer.
    @inline(__always) mutating func readBits(_ count: Int) -> UInt64? {
        guard count <= remaining else { return nil }
        var result: UInt64 = 0
        var needed = count
        while needed > 0 {
            let byteIndex = position &>> 3
            let bitInByte = position & 7
            let available = 8 &- bitInByte
            let take = min(available, needed)
            let byte = UInt64(bytes[byteIndex])
            let part = (byte &>> UInt64(available &- take)) & ((1 &<< UInt64(take)) &- 1)
            result = (result &<< UInt64(take)) | part
            needed &-= take
            position &+= take
        }
        return result
    }

    @inline(__always) mutating func readByte() -> UInt8? {
        readBits(8).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// Go's `binary.ReadUvarint` over whole bytes of the bit stream.
    mutating func readUvarint() -> UInt64? { decodeUvarint { readByte() } }

    /// Go's `binary.ReadVarint` (zig-zag).
    mutating func readVarint() -> Int64? { readUvarint().map(zigZagDecode) }
}
