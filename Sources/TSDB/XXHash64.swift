/// XXH64 with seed 0, the hash Prometheus's `labels.Labels.Hash()` uses; PromQL's
/// `limit_ratio` picks series by it, so the same series are picked here as there.
public enum XXHash64 {
    static let p1: UInt64 = 0x9E37_79B1_85EB_CA87
    static let p2: UInt64 = 0xC2B2_AE3D_27D4_EB4F
    static let p3: UInt64 = 0x1656_67B1_9E37_79F9
    static let p4: UInt64 = 0x85EB_CA77_C2B2_AE63
    static let p5: UInt64 = 0x27D4_EB2F_1656_67C5

    /// The hash of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> UInt64 {
        bytes.withUnsafeBytes { raw in
            let n = raw.count
            var i = 0
            func word(_ at: Int) -> UInt64 { raw.loadUnaligned(fromByteOffset: at, as: UInt64.self).littleEndian }
            var h: UInt64
            if n >= 32 {
                var v1 = p1 &+ p2, v2 = p2, v3: UInt64 = 0, v4 = 0 &- p1
                while i + 32 <= n {
                    v1 = round(v1, word(i)); v2 = round(v2, word(i + 8))
                    v3 = round(v3, word(i + 16)); v4 = round(v4, word(i + 24))
                    i += 32
                }
                h = rotl(v1, 1) &+ rotl(v2, 7) &+ rotl(v3, 12) &+ rotl(v4, 18)
                for v in [v1, v2, v3, v4] { h = merge(h, v) }
            } else {
                h = p5
            }
            h = h &+ UInt64(n)
            while i + 8 <= n {
                h ^= round(0, word(i))
                h = rotl(h, 27) &* p1 &+ p4
                i += 8
            }
            if i + 4 <= n {
                h ^= UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self).littleEndian) &* p1
                h = rotl(h, 23) &* p2 &+ p3
                i += 4
            }
            while i < n {
                h ^= UInt64(raw[i]) &* p5
                h = rotl(h, 11) &* p1
                i += 1
            }
            h ^= h >> 33
            h = h &* p2
            h ^= h >> 29
            h = h &* p3
            h ^= h >> 32
            return h
        }
    }

    /// Prometheus's label-set hash: each name and value followed by the byte 0xff, names sorted.
    public static func labelsHash(_ labels: [(name: String, value: String)]) -> UInt64 {
        var bytes: [UInt8] = []
        for l in labels.sorted(by: { $0.name < $1.name }) {
            bytes.append(contentsOf: l.name.utf8)
            bytes.append(0xff)
            bytes.append(contentsOf: l.value.utf8)
            bytes.append(0xff)
        }
        return hash(bytes)
    }

    private static func rotl(_ x: UInt64, _ r: UInt64) -> UInt64 { (x << r) | (x >> (64 - r)) }
    private static func round(_ acc: UInt64, _ input: UInt64) -> UInt64 { rotl(acc &+ input &* p2, 31) &* p1 }
    private static func merge(_ acc: UInt64, _ v: UInt64) -> UInt64 { (acc ^ round(0, v)) &* p1 &+ p4 }
}
