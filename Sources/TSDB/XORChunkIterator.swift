/// Decodes an XOR chunk lazily, one sample per `next()`. A truncated or corrupt chunk ends the
/// iteration early (see `error`) instead of trapping or reading past the bytes.
public struct XORChunkIterator: Sendable {
    private let bytes: [UInt8]
    private let total: Int
    private var read = 0
    private var reader = BitReader(startingAtByte: 2)
    public private(set) var timestamp: Int64 = 0
    public private(set) var value: Double = 0
    private var timeDelta: UInt64 = 0
    private var leading: UInt8 = 0
    private var trailing: UInt8 = 0
    /// Set when the bytes ended before the header's sample count was reached.
    public private(set) var isCorrupt = false

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
        self.total = bytes.count >= 2 ? Int(bytes[0]) << 8 | Int(bytes[1]) : 0
    }

    /// Advances to the next sample; false at the end.
    public mutating func next() -> Bool {
        guard read < total else { return false }
        let ok = bytes.withUnsafeBufferPointer { buf in decodeNext(buf) }
        if !ok {
            isCorrupt = true
            read = total
        }
        return ok
    }

    @inline(__always) private mutating func decodeNext(_ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        var r = reader
        defer { reader = r }
        switch read {
        case 0:
            guard let t = r.readVarint(buf), let bits = r.readBits(64, buf) else { return false }
            timestamp = t
            value = Double(bitPattern: bits)
        case 1:
            guard let delta = r.readUvarint(buf) else { return false }
            timeDelta = delta
            timestamp = timestamp &+ Int64(bitPattern: delta)
            guard readValue(&r, buf) else { return false }
        default:
            var prefix = 0
            while prefix < 4 {
                guard let bit = r.readBit(buf) else { return false }
                if !bit { break }
                prefix += 1
            }
            var dod: Int64 = 0
            let size: Int
            switch prefix {
            case 0: size = 0
            case 1: size = 14
            case 2: size = 17
            case 3: size = 20
            default: size = 64
            }
            if size > 0 {
                guard let raw = r.readBits(size, buf) else { return false }
                if size == 64 {
                    dod = Int64(bitPattern: raw)
                } else if raw > 1 << UInt64(size - 1) {
                    dod = Int64(raw) - (1 << Int64(size))
                } else {
                    dod = Int64(raw)
                }
            }
            timeDelta = UInt64(bitPattern: Int64(bitPattern: timeDelta) &+ dod)
            timestamp = timestamp &+ Int64(bitPattern: timeDelta)
            guard readValue(&r, buf) else { return false }
        }
        read += 1
        return true
    }

    @inline(__always) private mutating func readValue(_ r: inout BitReader, _ buf: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let changed = r.readBit(buf) else { return false }
        if !changed { return true }
        guard let newWindow = r.readBit(buf) else { return false }
        if newWindow {
            guard let l = r.readBits(5, buf), var sig = r.readBits(6, buf) else { return false }
            if sig == 0 { sig = 64 }
            leading = UInt8(l)
            guard Int(l) + Int(sig) <= 64 else { return false }
            trailing = UInt8(64 - l - sig)
        }
        let significant = 64 - Int(leading) - Int(trailing)
        guard significant > 0, let bits = r.readBits(significant, buf) else { return false }
        value = Double(bitPattern: value.bitPattern ^ (bits << UInt64(trailing)))
        return true
    }
}
