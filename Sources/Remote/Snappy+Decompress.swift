extension Snappy {
    /// The decoded length a block declares (its uvarint header), checked against `limit`.
    public static func decodedLength(_ input: UnsafeRawBufferPointer, limit: Int) throws(SnappyError) -> (length: Int, headerBytes: Int) {
        var value: UInt64 = 0
        var shift: UInt64 = 0
        var i = 0
        while true {
            guard i < input.count, i < 10 else { throw .badLengthHeader }
            let b = input[i]
            i += 1
            if shift == 63 && b > 1 { throw .badLengthHeader }
            value |= UInt64(b & 0x7f) << shift
            if b < 0x80 { break }
            shift += 7
        }
        guard value <= UInt64(limit) else { throw .tooLarge(length: value > UInt64(Int.max) ? Int.max : Int(value), limit: limit) }
        return (Int(value), i)
    }

    public static func decompress(_ input: [UInt8], limit: Int = 256 << 20) throws(SnappyError) -> [UInt8] {
        try input.withUnsafeBufferPointer { (buf) throws(SnappyError) -> [UInt8] in try decompress(UnsafeRawBufferPointer(buf), limit: limit) }
    }

    /// Decodes a block of at most `limit` decoded bytes.
    public static func decompress(_ src: UnsafeRawBufferPointer, limit: Int = 256 << 20) throws(SnappyError) -> [UInt8] {
        let (length, header) = try decodedLength(src, limit: limit)
        var failure: SnappyError? = nil
        let out = [UInt8](unsafeUninitializedCapacity: length) { buffer, written in
            let dst = UnsafeMutableRawBufferPointer(buffer)
            do throws(SnappyError) {
                written = try decodeBody(src, from: header, into: dst)
            } catch {
                failure = error
                written = 0
            }
        }
        if let failure { throw failure }
        return out
    }

    static func decodeBody(_ src: UnsafeRawBufferPointer, from start: Int, into dst: UnsafeMutableRawBufferPointer) throws(SnappyError) -> Int {
        var s = start
        var d = 0
        let end = src.count
        let outLength = dst.count
        while s < end {
            let tag = src[s]
            let at = s
            switch tag & 3 {
            case 0:
                var length = Int(tag >> 2) + 1
                s += 1
                if length > 60 {
                    let extra = length - 60
                    guard s + extra <= end else { throw .truncated(offset: at) }
                    var n = 0
                    for k in 0..<extra { n |= Int(src[s + k]) << (8 * k) }
                    length = n + 1
                    s += extra
                }
                guard length <= end - s else { throw .truncated(offset: at) }
                guard length <= outLength - d else { throw .overrun(offset: at) }
                (dst.baseAddress! + d).copyMemory(from: src.baseAddress! + s, byteCount: length)
                s += length
                d += length
                continue
            case 1:
                guard s + 2 <= end else { throw .truncated(offset: at) }
                let length = Int((tag >> 2) & 7) + 4
                let offset = Int(tag >> 5) << 8 | Int(src[s + 1])
                s += 2
                d = try copy(dst, d, offset: offset, length: length, at: at)
            case 2:
                guard s + 3 <= end else { throw .truncated(offset: at) }
                let length = Int(tag >> 2) + 1
                let offset = Int(src[s + 1]) | Int(src[s + 2]) << 8
                s += 3
                d = try copy(dst, d, offset: offset, length: length, at: at)
            default:
                guard s + 5 <= end else { throw .truncated(offset: at) }
                let length = Int(tag >> 2) + 1
                let offset = Int(src[s + 1]) | Int(src[s + 2]) << 8 | Int(src[s + 3]) << 16 | Int(src[s + 4]) << 24
                s += 5
                d = try copy(dst, d, offset: offset, length: length, at: at)
            }
        }
        guard d == outLength else { throw .lengthMismatch(declared: outLength, decoded: d) }
        return d
    }

    /// A back-reference; overlapping copies (offset < length) repeat the pattern byte by byte.
    @inline(__always)
    static func copy(_ dst: UnsafeMutableRawBufferPointer, _ d: Int, offset: Int, length: Int, at: Int) throws(SnappyError) -> Int {
        guard offset > 0, offset <= d else { throw .badCopyOffset(offset: at, distance: offset, written: d) }
        guard length <= dst.count - d else { throw .overrun(offset: at) }
        let base = dst.baseAddress!
        if offset >= length {
            (base + d).copyMemory(from: base + d - offset, byteCount: length)
        } else {
            for k in 0..<length { dst[d + k] = dst[d - offset + k] }
        }
        return d + length
    }
}
