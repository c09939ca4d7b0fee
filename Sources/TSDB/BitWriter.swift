/// Appends bits, most significant first: the stream layout of Prometheus's `bstream`.
///
/// Bits gather in a 64-bit word and reach the byte array eight bytes at a time, so a sample
/// costs a few shifts instead of a bounds- and uniqueness-checked store per byte. `bytes`
/// holds whole flushed words only; `materialized()` adds the word's bits for a reader.
struct BitWriter: Sendable {
    /// Flushed bytes (a multiple of 8 after the prefix the writer started with).
    private(set) var flushed: [UInt8]
    /// Pending bits, right-aligned: the lowest `pendingBits` bits are the stream's tail.
    private var word: UInt64 = 0
    private var pendingBits = 0

    init(bytes: [UInt8]) { self.flushed = bytes }

    /// Whole bytes the stream occupies, counting a partly written last byte.
    @inline(__always) var byteCount: Int { flushed.count &+ (pendingBits &+ 7) &>> 3 }

    /// Unused low bits in the last byte (0 when the next bit starts a new byte), as `bstream` counts.
    var freeBits: Int { (8 &- pendingBits & 7) & 7 }

    @inline(__always) mutating func writeBit(_ one: Bool) { writeBits(one ? 1 : 0, 1) }

    /// Writes the lowest `count` bits of `value` (1...64).
    @inline(__always) mutating func writeBits(_ value: UInt64, _ count: Int) {
        let v = count == 64 ? value : value & ((1 &<< UInt64(count)) &- 1)
        let room = 64 &- pendingBits
        if count < room {
            word = (word &<< UInt64(count)) | v
            pendingBits &+= count
            return
        }
        // Fill the word, flush it, keep the rest.
        let rest = count &- room
        let full = room == 64 ? (v &>> UInt64(rest)) : (word &<< UInt64(room)) | (v &>> UInt64(rest))
        flushWord(full)
        word = rest == 0 ? 0 : v & ((1 &<< UInt64(rest)) &- 1)
        pendingBits = rest
    }

    @inline(__always) mutating func writeByte(_ b: UInt8) { writeBits(UInt64(b), 8) }

    @inline(__always) private mutating func flushWord(_ w: UInt64) {
        withUnsafeBytes(of: w.bigEndian) { flushed.append(contentsOf: $0) }
    }

    /// The stream as bytes, its last byte padded with zero bits; `capacity` extra bytes reserved.
    func materialized(reserving extra: Int = 0) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(byteCount &+ extra)
        out.append(contentsOf: flushed)
        let tailBytes = (pendingBits &+ 7) &>> 3
        if tailBytes > 0 {
            let aligned = word &<< UInt64(tailBytes &* 8 &- pendingBits)
            for i in stride(from: tailBytes &- 1, through: 0, by: -1) {
                out.append(UInt8(truncatingIfNeeded: aligned &>> UInt64(i &* 8)))
            }
        }
        return out
    }

    /// A writer continuing a stream whose last byte has `freeBits` unused low bits.
    init(resuming bytes: [UInt8], freeBits: Int) {
        var whole = bytes
        // The partly written last byte becomes the pending word; `flushed` need not end on a
        // word boundary, it only has to hold the stream's bytes before the word.
        if freeBits > 0, let last = whole.popLast() {
            word = UInt64(last &>> UInt8(freeBits))
            pendingBits = 8 &- freeBits
        }
        self.flushed = whole
    }
}
