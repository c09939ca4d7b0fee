/// A fast non-cryptographic 64-bit hash of raw bytes, eight at a time, stable across runs.
/// Used to key per-target caches by the raw series text of an exposition line.
@inlinable
public func fastHash(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt64 {
    var h: UInt64 = 0x9e37_79b9_7f4a_7c15 ^ UInt64(range.count)
    var i = range.lowerBound
    let end = range.upperBound
    let raw = UnsafeRawBufferPointer(bytes)
    while i + 8 <= end {
        let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
        h = (h ^ w) &* 0xff51_afd7_ed55_8ccd
        h ^= h >> 32
        i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < end {
        tail |= UInt64(bytes[i]) << shift
        shift += 8
        i += 1
    }
    h = (h ^ tail) &* 0xc4ce_b9fe_1a85_ec53
    h ^= h >> 29
    return h
}
