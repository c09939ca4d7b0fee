/// Builds one XOR chunk sample by sample: delta-of-delta timestamps and XOR'd float values,
/// bit for bit as Prometheus's `xorAppender` writes them.
public struct XORChunkEncoder: Sendable {
    /// Prometheus cuts a chunk at 120 samples.
    public static let targetSamples = 120

    var stream: BitWriter
    public internal(set) var count = 0
    public internal(set) var minTime: Int64 = 0
    public internal(set) var maxTime: Int64 = 0
    public internal(set) var lastValue: Double = 0
    var timeDelta: UInt64 = 0
    var leading: UInt8 = 0xff
    var trailing: UInt8 = 0

    public init(capacity: Int = 160) {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(capacity)
        bytes.append(0)
        bytes.append(0)
        stream = BitWriter(bytes: bytes)
    }

    public var byteCount: Int { stream.byteCount }

    /// Appends a sample; `t` must be after the last one (the caller enforces order).
    public mutating func append(_ t: Int64, _ v: Double) {
        switch count {
        case 0:
            appendVarintBytes(t)
            stream.writeBits(v.bitPattern, 64)
            minTime = t
        case 1:
            let delta = UInt64(bitPattern: t &- maxTime)
            appendUvarintBytes(delta)
            writeValue(v)
            timeDelta = delta
        default:
            let delta = UInt64(bitPattern: t &- maxTime)
            let dod = Int64(bitPattern: delta &- timeDelta)
            if dod == 0 {
                stream.writeBit(false)
            } else if fits(dod, 14) {
                stream.writeBits(0b10, 2)
                stream.writeBits(UInt64(bitPattern: dod), 14)
            } else if fits(dod, 17) {
                stream.writeBits(0b110, 3)
                stream.writeBits(UInt64(bitPattern: dod), 17)
            } else if fits(dod, 20) {
                stream.writeBits(0b1110, 4)
                stream.writeBits(UInt64(bitPattern: dod), 20)
            } else {
                stream.writeBits(0b1111, 4)
                stream.writeBits(UInt64(bitPattern: dod), 64)
            }
            writeValue(v)
            timeDelta = delta
        }
        maxTime = t
        lastValue = v
        count += 1
    }

    /// The chunk as it stands, in a new exactly sized array; the encoder can keep appending.
    public func chunk() -> Chunk {
        Chunk(bytes: bytes, minTime: minTime, maxTime: maxTime)
    }

    /// The chunk's bytes so far, header included (a copy: the encoder keeps its tail in a word).
    public var bytes: [UInt8] {
        var out = stream.materialized()
        out[0] = UInt8(truncatingIfNeeded: count >> 8)
        out[1] = UInt8(truncatingIfNeeded: count)
        return out
    }

    /// Prometheus's `bitRange`: whether `x` fits a signed field of `bits` bits as it encodes them.
    @inline(__always) private func fits(_ x: Int64, _ bits: Int64) -> Bool {
        -((1 << (bits - 1)) - 1) <= x && x <= 1 << (bits - 1)
    }

    @inline(__always) private mutating func appendUvarintBytes(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            stream.writeByte(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        stream.writeByte(UInt8(v))
    }

    @inline(__always) private mutating func appendVarintBytes(_ value: Int64) {
        appendUvarintBytes(zigZagEncode(value))
    }

    @inline(__always) private mutating func writeValue(_ v: Double) {
        let delta = v.bitPattern ^ lastValue.bitPattern
        if delta == 0 {
            stream.writeBit(false)
            return
        }
        stream.writeBit(true)
        var newLeading = UInt8(delta.leadingZeroBitCount)
        let newTrailing = UInt8(delta.trailingZeroBitCount)
        if newLeading >= 32 { newLeading = 31 }
        if leading != 0xff && newLeading >= leading && newTrailing >= trailing {
            stream.writeBit(false)
            stream.writeBits(delta >> UInt64(trailing), 64 - Int(leading) - Int(trailing))
            return
        }
        leading = newLeading
        trailing = newTrailing
        stream.writeBit(true)
        stream.writeBits(UInt64(newLeading), 5)
        let significant = 64 - Int(newLeading) - Int(newTrailing)
        // 64 significant bits are written as 0: 0 never occurs, as delta != 0.
        stream.writeBits(UInt64(significant & 63), 6)
        stream.writeBits(delta >> UInt64(newTrailing), significant)
    }
}

extension XORChunkEncoder {
    /// Writes the encoder's full state, so a snapshot can resume the open chunk bit for bit.
    func encodeState(into out: inout [UInt8]) {
        appendUvarint(UInt64(count), to: &out)
        appendVarint(minTime, to: &out)
        appendVarint(maxTime, to: &out)
        out.appendLittleEndian(lastValue.bitPattern)
        out.appendLittleEndian(timeDelta)
        out.append(leading)
        out.append(trailing)
        out.append(UInt8(stream.freeBits))
        let bytes = self.bytes
        appendUvarint(UInt64(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    /// Reads what `encodeState` wrote; nil when the bytes are not a consistent encoder.
    init?(decoding r: inout ByteReader) {
        guard let count = r.uvarint(), count <= 0xffff, let minTime = r.varint(), let maxTime = r.varint(),
              let last = r.uint64(), let delta = r.uint64(), let leading = r.byte(), let trailing = r.byte(),
              let free = r.byte(), free < 8, let n = r.uvarint(), n >= 2, n < 1 << 20, let raw = r.bytes(Int(n))
        else { return nil }
        guard raw.count >= 2, Int(raw[raw.startIndex]) << 8 | Int(raw[raw.startIndex + 1]) == Int(count) else { return nil }
        var resumed: [UInt8] = []
        resumed.reserveCapacity(max(160, Int(n)))
        resumed.append(contentsOf: raw)
        stream = BitWriter(resuming: resumed, freeBits: Int(free))
        self.count = Int(count)
        self.minTime = minTime
        self.maxTime = maxTime
        self.lastValue = Double(bitPattern: last)
        self.timeDelta = delta
        self.leading = leading
        self.trailing = trailing
    }
}
