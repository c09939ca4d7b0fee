import Foundation
import Remote
import Testing
import TestSupport

/// Snappy against the reference encoder of the Python ecosystem (python-snappy on cramjam),
/// and against hostile input.
@Suite struct SnappyTests {
    /// Payloads that reach every encoder path: tiny literals, block edges, long copies, multi-block.
    static func payloads() throws -> [(String, [UInt8])] {
        var rng = SplitMix64(seed: 99)
        func random(_ n: Int) -> [UInt8] { (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) } }
        var mixed: [UInt8] = []
        while mixed.count < 300_000 {
            mixed += Array("kueue_pending_workloads{cluster_queue=\"team-\(rng.next() % 7)\"} \(rng.next() % 1000)\n".utf8)
            if rng.next() % 5 == 0 { mixed += random(Int(rng.next() % 40)) }
        }
        var out: [(String, [UInt8])] = [
            ("empty", []), ("one", [7]), ("fifteen", random(15)), ("sixteen", random(16)), ("seventeen", Array(repeating: 1, count: 17)),
            ("abc", Array(String(repeating: "abc", count: 1000).utf8)), ("random-1k", random(1024)), ("random-100k", random(100_000)),
            ("zeros-70k", Array(repeating: 0, count: 70_000)), ("block-edge", Array(repeating: 5, count: 65_536) + random(1)),
            ("mixed-300k", mixed),
        ]
        for name in Fixtures.names { out.append((name, try Fixtures.bytes(name))) }
        return out
    }

    /// What python-snappy produces for each payload.
    static func reference(_ payloads: [(String, [UInt8])]) throws -> [String: [UInt8]] {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        for (i, (_, bytes)) in payloads.enumerated() {
            try Data(bytes).write(to: URL(fileURLWithPath: "\(dir.path)/\(i).bin"))
        }
        let script = """
            import glob, snappy, sys
            for path in glob.glob(sys.argv[1] + '/*.bin'):
                data = open(path, 'rb').read()
                open(path[:-4] + '.sz', 'wb').write(snappy.compress(data))
            """
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script, dir.path]
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw ReferenceMissing() }
        var out: [String: [UInt8]] = [:]
        for (i, (name, _)) in payloads.enumerated() {
            out[name] = Array(try Data(contentsOf: URL(fileURLWithPath: "\(dir.path)/\(i).sz")))
        }
        return out
    }

    struct ReferenceMissing: Error, CustomStringConvertible {
        var description: String { "python3 with python-snappy is required (./scripts/test installs it)" }
    }

    @Test func compressesByteForByteLikeTheReference() throws {
        let payloads = try Self.payloads()
        let reference = try Self.reference(payloads)
        for (name, bytes) in payloads {
            let ours = Snappy.compress(bytes)
            #expect(ours == reference[name], "\(name): \(ours.count) vs \(reference[name]?.count ?? -1) bytes")
            #expect(try Snappy.decompress(reference[name] ?? []) == bytes, "\(name)")
            #expect(try Snappy.decompress(ours) == bytes, "\(name)")
        }
    }

    @Test func everyTruncationIsAnError() throws {
        let compressed = Snappy.compress(try Fixtures.bytes("kueue_metrics.prom"))
        for cut in 0..<compressed.count {
            #expect(throws: SnappyError.self, "cut at \(cut)") { try Snappy.decompress(Array(compressed[0..<cut])) }
        }
    }

    @Test func hostileInputIsRefusedWithItsReason() {
        let cases: [([UInt8], SnappyError)] = [
            ([0x05, 0x01, 0x00], .badCopyOffset(offset: 1, distance: 0, written: 0)),           // copy before anything was written
            ([0x05, 0x00, 0x41, 0x0a, 0x09, 0x00], .badCopyOffset(offset: 3, distance: 9, written: 1)), // copy from before the start
            ([0x02, 0x08, 0x41, 0x42, 0x43], .overrun(offset: 1)),                             // literal longer than declared
            ([0x04, 0x00, 0x41], .lengthMismatch(declared: 4, decoded: 1)),
            ([0x03, 0xf0], .truncated(offset: 1)),                                               // literal length bytes missing
            ([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01], .badLengthHeader),
            ([0x80, 0x80, 0x80, 0x80, 0x08], .tooLarge(length: 1 << 31, limit: 256 << 20)),
            ([], .badLengthHeader),
        ]
        for (bytes, expected) in cases {
            #expect(throws: expected, "\(bytes)") { try Snappy.decompress(bytes) }
        }
    }

    @Test func randomBytesNeverCrashOrOverread() {
        var rng = SplitMix64(seed: 3)
        var decoded = 0
        for round in 0..<5000 {
            let n = Int(rng.next() % 64) + (round % 10 == 0 ? 1000 : 0)
            var bytes = (0..<n).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if !bytes.isEmpty { bytes[0] = UInt8(rng.next() % 128) }
            // Most random inputs are corrupt; what matters is an error or a correct length, never a crash.
            switch Result(catching: { () throws(SnappyError) -> [UInt8] in try Snappy.decompress(bytes, limit: 1 << 16) }) {
            case .success(let out):
                decoded += 1
                #expect(out.count == Int(bytes[0]))
            case .failure(let error):
                #expect(!error.description.isEmpty)
            }
        }
        #expect(decoded < 5000)
    }
}
