import Foundation

/// Locates the shared fixtures (`../shared/fixtures` beside the repository) and temp directories.
public enum Fixtures {
    /// The repository root, found from this file's path.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    public static let sharedDirectory: URL = packageRoot.deletingLastPathComponent().appendingPathComponent("shared")

    public static let names = ["kueue_metrics.prom", "modelmesh_metrics.prom", "vllm_metrics.prom"]

    /// The bytes of a fixture in `../shared/fixtures`.
    public static func bytes(_ name: String) throws -> [UInt8] {
        let url = sharedDirectory.appendingPathComponent("fixtures").appendingPathComponent(name)
        return Array(try Data(contentsOf: url))
    }

    /// A fresh directory under the system temp directory, removed by `cleanup()`.
    public static func temporaryDirectory(_ prefix: String = "scalewatch-test") throws -> TemporaryDirectory {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return TemporaryDirectory(url: url)
    }
}

/// A temp directory a test owns; `cleanup()` removes it and everything in it.
public struct TemporaryDirectory: Sendable {
    public let url: URL
    public var path: String { url.path }
    public func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// Deterministic pseudo-random numbers (SplitMix64), so failures reproduce.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
