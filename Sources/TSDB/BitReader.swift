/// Reads bits, most significant first, through a 64-bit buffer refilled eight bytes at a time
/// (the shape of Prometheus's `bstreamReader`). Reads past the end return nil instead of
/// trapping, so a corrupt chunk ends iteration rather than the process.
///
/// The reader is a plain value: its position (`nextByte`, `buffer`, `valid`) can be stored
/// between calls while the bytes it points into stay owned by the caller.
struct BitReader {
    /// Index of the next byte to load into the buffer.
    var nextByte: Int
    /// Loaded bits not yet read are the lowest `valid` bits of `buffer`.
    var buffer: UInt64 = 0
    var valid = 0

    init(startingAtByte index: Int) { nextByte = index }

    @inline(__always) static func mask(_ n: Int) -> UInt64 {
        n >= 64 ? .max : (1 &<< UInt64(n)) &- 1
    }

    /// Loads up to eight more bytes; false when none are left.
    @inline(__always) mutating func refill(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        if nextByte &+ 8 <= bytes.count {
            buffer = UInt64(bigEndian: UnsafeRawPointer(bytes.baseAddress! + nextByte).loadUnaligned(as: UInt64.self))
            nextByte &+= 8
            valid = 64
            return true
        }
        guard nextByte < bytes.count else { return false }
        buffer = 0
        valid = 0
        while nextByte < bytes.count {
            buffer = buffer &<< 8 | UInt64(bytes[nextByte])
            nextByte &+= 1
            valid &+= 8
        }
        return true
    }

    @inline(__always) mutating func readBit(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        if valid == 0, !refill(bytes) { return nil }
        valid &-= 1
        return buffer &>> UInt64(valid) & 1 == 1
    }

    /// Reads `count` bits (1...64) as an unsigned integer.
    @inline(__always) mutating func readBits(_ count: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? {
        if count <= valid {
            valid &-= count
            return buffer &>> UInt64(valid) & Self.mask(count)
        }
        let head = buffer & Self.mask(valid)
        let need = count &- valid
        guard refill(bytes), need <= valid else { return nil }
        valid &-= need
        return (need == 64 ? 0 : head &<< UInt64(need)) | (buffer &>> UInt64(valid) & Self.mask(need))
    }

    @inline(__always) mutating func readByte(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8? {
        readBits(8, bytes).map { UInt8(truncatingIfNeeded: $0) }
    }

    /// Go's `binary.ReadUvarint` over whole bytes of the bit stream.
    mutating func readUvarint(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64? { decodeUvarint { readByte(bytes) } }

    /// Go's `binary.ReadVarint` (zig-zag).
    mutating func readVarint(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? { readUvarint(bytes).map(zigZagDecode) }
}
