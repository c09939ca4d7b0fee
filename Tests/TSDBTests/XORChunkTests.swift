import Testing
import TestSupport
@testable import TSDB

@Suite struct XORChunkTests {
    func roundTrip(_ samples: [(Int64, Double)]) -> [(Int64, Double)] {
        var encoder = XORChunkEncoder()
        for (t, v) in samples { encoder.append(t, v) }
        let chunk = encoder.chunk()
        #expect(chunk.sampleCount == samples.count)
        var it = chunk.makeIterator()
        var out: [(Int64, Double)] = []
        while it.next() { out.append((it.timestamp, it.value)) }
        #expect(!it.isCorrupt)
        return out
    }

    func expectBitExact(_ a: [(Int64, Double)], _ b: [(Int64, Double)]) {
        #expect(a.count == b.count)
        for (x, y) in zip(a, b) {
            #expect(x.0 == y.0)
            #expect(x.1.bitPattern == y.1.bitPattern, "\(x.1) vs \(y.1)")
        }
    }

    @Test func specialValuesKeepTheirBits() {
        let nanPayload = Double(bitPattern: 0x7ff8_0000_dead_beef)
        let samples: [(Int64, Double)] = [
            (1000, 1), (2000, .nan), (3000, StalenessMarker.value), (4000, nanPayload), (5000, .infinity),
            (6000, -.infinity), (7000, -0.0), (8000, 0), (9000, .greatestFiniteMagnitude), (10000, .leastNonzeroMagnitude),
        ]
        let out = roundTrip(samples)
        expectBitExact(out, samples)
        #expect(StalenessMarker.isStale(out[2].1))
        #expect(!StalenessMarker.isStale(out[1].1))
        #expect(!StalenessMarker.isStale(out[3].1))
    }

    @Test func irregularTimestampsUseEveryDeltaOfDeltaWidth() {
        // Deltas chosen to hit the 0, 14-, 17-, 20- and 64-bit buckets, negative ones and the edges.
        let deltas: [Int64] = [15000, 15000, 15001, 14990, 15000 + 8192, 15000, 15000 - 8191, 15000 + 65536, 15000 + 524288,
                               1 << 40, 1, 3, 1 << 33, 15000, 15000]
        var t: Int64 = -5_000_000
        var samples: [(Int64, Double)] = [(t, 0)]
        for (i, d) in deltas.enumerated() {
            t += d
            samples.append((t, Double(i) * 1.5))
        }
        expectBitExact(roundTrip(samples), samples)
    }

    @Test func randomSeriesRoundTrip() {
        var rng = SplitMix64(seed: 7)
        for round in 0..<200 {
            var t = Int64(bitPattern: rng.next() >> 24) - (1 << 39)
            var v = Double(rng.next() % 1000)
            var samples: [(Int64, Double)] = []
            for _ in 0..<Int(rng.next() % 120 + 1) {
                t += Int64(rng.next() % (round % 3 == 0 ? 100_000 : 30)) + 1
                switch rng.next() % 4 {
                case 0: v += 1
                case 1: v = Double(bitPattern: rng.next())
                case 2: v = Double(Int(rng.next() % 100)) / 7
                default: break
                }
                samples.append((t, v))
            }
            expectBitExact(roundTrip(samples), samples)
        }
    }

    @Test func regularCounterCompressesLikeGorilla() {
        var encoder = XORChunkEncoder()
        for i in 0..<120 { encoder.append(Int64(i) * 15000, Double(i * 10)) }
        #expect(encoder.byteCount < 120 * 3)
        #expect(encoder.byteCount > 20)
    }

    @Test func truncatedChunkEndsEarlyInsteadOfTrapping() {
        var encoder = XORChunkEncoder()
        for i in 0..<50 { encoder.append(Int64(i) * 1000 + Int64(i * i), Double(i) * 3.3) }
        let bytes = encoder.bytes
        for cut in 0..<bytes.count {
            var it = XORChunkIterator(Array(bytes[0..<cut]))
            var n = 0
            while it.next() { n += 1 }
            #expect(n < 50)
        }
    }

    @Test func encoderStateSurvivesSerialisation() {
        var encoder = XORChunkEncoder()
        for i in 0..<30 { encoder.append(Int64(i) * 1000, Double(i % 7)) }
        var state: [UInt8] = []
        encoder.encodeState(into: &state)
        var restored = state.withUnsafeBytes { raw -> XORChunkEncoder? in
            var r = ByteReader(raw)
            return XORChunkEncoder(decoding: &r)
        }!
        for i in 30..<60 {
            encoder.append(Int64(i) * 1000, Double(i % 7))
            restored.append(Int64(i) * 1000, Double(i % 7))
        }
        #expect(encoder.bytes == restored.bytes)
    }
}

/// The encoder's bytes pinned to what the byte-at-a-time writer of the first release produced
/// (that writer mirrored Prometheus's `bstream` line by line), so a faster writer cannot drift.
@Suite struct XORChunkGoldenTests {
    static func goldenSamples() -> [(Int64, Double)] {
        var rng = SplitMix64(seed: 11)
        var t: Int64 = 1_700_000_000_000
        var v = 100.0
        var out: [(Int64, Double)] = []
        for i in 0..<120 {
            t += [15_000, 15_000, 15_003, 14_000, 1 << 21, 7][i % 6]
            switch rng.next() % 5 {
            case 0: v += 1
            case 1: v = Double(rng.next() % 1000) / 7
            case 2: v = Double(bitPattern: rng.next())
            case 3: break
            default: v *= 1.5
            }
            out.append((t, v))
        }
        return out
    }

    static func fnv1a(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        return h
    }

    @Test func bytesMatchTheReferenceWriter() {
        var encoder = XORChunkEncoder()
        var prefixes: [String] = []
        for (i, (t, v)) in Self.goldenSamples().enumerated() {
            encoder.append(t, v)
            if [1, 2, 3, 17, 64, 120].contains(i + 1) {
                prefixes.append("\(i + 1):\(encoder.bytes.count):\(String(Self.fnv1a(encoder.bytes), radix: 16))")
            }
        }
        #expect(prefixes == [
            "1:16:7c3de7d42fe7455b", "2:20:a569153a7063947b", "3:25:9481e848479c40db",
            "17:160:ea50badc3e1cf649", "64:650:495d29025aa770ae", "120:1228:4a86418d5c4efcb0",
        ])
    }
}
