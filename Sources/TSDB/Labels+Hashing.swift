extension Labels {
    /// A hash that is the same in every process and on every run (unlike `Hasher`): 64-bit FNV-1a
    /// over each name and value with a 0xff separator, which cannot occur in UTF-8 text.
    public var stableHash: UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for label in pairs {
            h = fnv1a(label.name, h)
            h = (h ^ 0xff) &* 0x0000_0100_0000_01b3
            h = fnv1a(label.value, h)
            h = (h ^ 0xff) &* 0x0000_0100_0000_01b3
        }
        return h
    }
}

@inline(__always) func fnv1a(_ s: String, _ seed: UInt64) -> UInt64 {
    var h = seed
    for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
}

/// FNV-1a over raw bytes, for keys such as the raw series text of an exposition line.
@inlinable public func stableHash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }
    return h
}
