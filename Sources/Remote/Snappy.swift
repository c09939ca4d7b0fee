/// Snappy's block format (the compression of Prometheus's remote read and write bodies).
///
/// `compress` produces the same bytes as the reference encoder the ecosystem's Python and Rust
/// tools use (the `snap` crate behind python-snappy ≥ 0.7 and cramjam): 64 KiB blocks, a hash
/// table of up to 2^14 entries, the same skip heuristic and the same copy and literal
/// encodings. `decompress` checks every length and offset: corrupt input is an error, never a
/// read or write out of bounds.
public enum Snappy {
    static let maxBlockSize = 1 << 16
    static let maxTableSize = 1 << 14
    static let inputMargin = 16 - 1
    static let minNonLiteralBlockSize = 1 + 1 + inputMargin

    /// Upper bound of the compressed size of `length` input bytes.
    public static func maxCompressedLength(_ length: Int) -> Int { 32 + length + length / 6 }

    public static func compress(_ input: [UInt8]) -> [UInt8] {
        input.withUnsafeBufferPointer { compress(UnsafeRawBufferPointer($0)) }
    }

    public static func compress(_ input: UnsafeRawBufferPointer) -> [UInt8] {
        let capacity = maxCompressedLength(input.count)
        return [UInt8](unsafeUninitializedCapacity: capacity) { out, written in
            let dst = UnsafeMutableRawBufferPointer(out)
            var d = writeUvarint(UInt64(input.count), to: dst, at: 0)
            if input.count > 0 {
                var table = [UInt16](repeating: 0, count: maxTableSize)
                table.withUnsafeMutableBufferPointer { table in
                    var start = 0
                    while start < input.count {
                        let end = min(start + maxBlockSize, input.count)
                        let block = UnsafeRawBufferPointer(rebasing: input[start..<end])
                        if block.count < minNonLiteralBlockSize {
                            d = emitLiteral(block, 0, block.count, dst, d)
                        } else {
                            d = compressBlock(block, dst, d, table)
                        }
                        start = end
                    }
                }
            }
            written = d
        }
    }

    @inline(__always)
    static func writeUvarint(_ value: UInt64, to dst: UnsafeMutableRawBufferPointer, at start: Int) -> Int {
        var v = value
        var d = start
        while v >= 0x80 {
            dst[d] = UInt8(truncatingIfNeeded: v) | 0x80
            v >>= 7
            d += 1
        }
        dst[d] = UInt8(v)
        return d + 1
    }

    @inline(__always)
    static func load32(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt32 {
        UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt32.self))
    }

    @inline(__always)
    static func load64(_ p: UnsafeRawBufferPointer, _ i: Int) -> UInt64 {
        UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i, as: UInt64.self))
    }

    /// One block of at least `minNonLiteralBlockSize` bytes, as the reference encoder does it.
    static func compressBlock(_ src: UnsafeRawBufferPointer, _ dst: UnsafeMutableRawBufferPointer, _ start: Int,
                              _ fullTable: UnsafeMutableBufferPointer<UInt16>) -> Int {
        var shift: UInt32 = 32 - 8
        var tableSize = 256
        while tableSize < maxTableSize && tableSize < src.count {
            shift -= 1
            tableSize *= 2
        }
        let table = UnsafeMutableBufferPointer(rebasing: fullTable[0..<tableSize])
        table.update(repeating: 0)
        @inline(__always) func hash(_ x: UInt32) -> Int { Int((x &* 0x1E35_A7BD) >> shift) }

        var d = start
        var s = 1
        var nextEmit = 0
        let sLimit = src.count - inputMargin
        var nextHash = hash(load32(src, s))
        while true {
            var skip = 32
            var candidate = 0
            var sNext = s
            while true {
                s = sNext
                let between = skip >> 5
                sNext = s + between
                skip += between
                if sNext > sLimit {
                    return nextEmit < src.count ? emitLiteral(src, nextEmit, src.count, dst, d) : d
                }
                candidate = Int(table[nextHash])
                table[nextHash] = UInt16(truncatingIfNeeded: s)
                nextHash = hash(load32(src, sNext))
                if load32(src, s) == load32(src, candidate) { break }
            }
            d = emitLiteral(src, nextEmit, s, dst, d)
            while true {
                let base = s
                s += 4
                var c = candidate + 4
                while s + 8 <= src.count {
                    let x = load64(src, s), y = load64(src, c)
                    if x == y {
                        s += 8
                        c += 8
                    } else {
                        s += (x ^ y).trailingZeroBitCount / 8
                        break
                    }
                }
                if s + 8 > src.count {
                    while s < src.count && src[s] == src[c] {
                        s += 1
                        c += 1
                    }
                }
                d = emitCopy(offset: base - candidate, length: s - base, dst, d)
                nextEmit = s
                if s >= sLimit {
                    return nextEmit < src.count ? emitLiteral(src, nextEmit, src.count, dst, d) : d
                }
                let x = load64(src, s - 1)
                table[hash(UInt32(truncatingIfNeeded: x))] = UInt16(truncatingIfNeeded: s - 1)
                let currentHash = hash(UInt32(truncatingIfNeeded: x >> 8))
                candidate = Int(table[currentHash])
                table[currentHash] = UInt16(truncatingIfNeeded: s)
                if UInt32(truncatingIfNeeded: x >> 8) != load32(src, candidate) {
                    nextHash = hash(UInt32(truncatingIfNeeded: x >> 16))
                    s += 1
                    break
                }
            }
        }
    }

    @inline(__always)
    static func emitLiteral(_ src: UnsafeRawBufferPointer, _ from: Int, _ to: Int, _ dst: UnsafeMutableRawBufferPointer, _ start: Int) -> Int {
        let length = to - from
        let n = length - 1
        var d = start
        if n <= 59 {
            dst[d] = UInt8(n << 2)
            d += 1
        } else if n < 256 {
            dst[d] = 60 << 2
            dst[d + 1] = UInt8(n)
            d += 2
        } else {
            dst[d] = 61 << 2
            dst[d + 1] = UInt8(truncatingIfNeeded: n)
            dst[d + 2] = UInt8(truncatingIfNeeded: n >> 8)
            d += 3
        }
        (dst.baseAddress! + d).copyMemory(from: src.baseAddress! + from, byteCount: length)
        return d + length
    }

    @inline(__always)
    static func emitCopy(offset: Int, length: Int, _ dst: UnsafeMutableRawBufferPointer, _ start: Int) -> Int {
        var d = start
        var len = length
        @inline(__always) func copy2(_ len: Int) {
            dst[d] = UInt8((len - 1) << 2) | 0b10
            dst[d + 1] = UInt8(truncatingIfNeeded: offset)
            dst[d + 2] = UInt8(truncatingIfNeeded: offset >> 8)
            d += 3
        }
        while len >= 68 {
            copy2(64)
            len -= 64
        }
        if len > 64 {
            copy2(60)
            len -= 60
        }
        if len <= 11 && offset <= 2047 {
            dst[d] = UInt8((offset >> 8) << 5) | UInt8((len - 4) << 2) | 0b01
            dst[d + 1] = UInt8(truncatingIfNeeded: offset)
            d += 2
        } else {
            copy2(len)
        }
        return d
    }
}
