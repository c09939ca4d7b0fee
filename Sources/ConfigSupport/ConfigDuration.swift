/// A duration as Prometheus writes it in config files: units `y w d h m s ms`, largest first,
/// each at most once (`1h30m`, `15s`, `0`). Held in whole milliseconds, as Prometheus does.
public struct ConfigDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func seconds(_ s: Int64) -> ConfigDuration { ConfigDuration(milliseconds: s * 1000) }

    public static func < (a: ConfigDuration, b: ConfigDuration) -> Bool { a.milliseconds < b.milliseconds }

    public var seconds: Double { Double(milliseconds) / 1000 }

    public var duration: Duration { .milliseconds(milliseconds) }

    /// Why a text is not a duration.
    public struct ParseError: Error, Sendable {
        public let message: String
    }

    private static let units: [(suffix: String, ms: Int64)] = [
        ("y", 365 * 86_400_000), ("w", 7 * 86_400_000), ("d", 86_400_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    public init(parsing text: String) throws(ParseError) {
        if text.isEmpty { throw ParseError(message: "empty duration string") }
        if text == "0" {
            milliseconds = 0
            return
        }
        let bytes = Array(text.utf8)
        var i = 0
        var nextUnit = 0
        var total: Int64 = 0
        let invalid = ParseError(message: "not a valid duration string: \"\(text)\"")
        while i < bytes.count {
            let start = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") { i += 1 }
            guard i > start, let value = Int64(String(decoding: bytes[start..<i], as: UTF8.self)) else { throw invalid }
            // "ms" must win over "m" when both could match.
            var matched: Int? = nil
            for u in nextUnit..<Self.units.count {
                let suffix = Array(Self.units[u].suffix.utf8)
                if bytes.count - i >= suffix.count, Array(bytes[i..<(i + suffix.count)]) == suffix {
                    if suffix == [UInt8(ascii: "m")], i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "s") { continue }
                    matched = u
                    i += suffix.count
                    break
                }
            }
            guard let u = matched else { throw invalid }
            let (product, overflow) = value.multipliedReportingOverflow(by: Self.units[u].ms)
            let (sum, overflow2) = total.addingReportingOverflow(product)
            if overflow || overflow2 { throw ParseError(message: "duration out of range: \"\(text)\"") }
            total = sum
            nextUnit = u + 1
        }
        milliseconds = total
    }

    /// Prometheus's `model.Duration.String()`: `1h30m`, `15s`, `0s`.
    public var description: String {
        var ms = milliseconds
        if ms == 0 { return "0s" }
        var out = ""
        for (suffix, mult) in Self.units {
            let exact = suffix == "y" || suffix == "w" || suffix == "d"
            if exact && ms % mult != 0 { continue }
            let v = ms / mult
            if v > 0 {
                out += "\(v)\(suffix)"
                ms -= v * mult
            }
        }
        return out
    }
}

/// Parses a base-2 byte size as Prometheus's `body_size_limit` (`0` = no limit, `512KB`, `10MiB`).
public func parseByteSize(_ text: String) throws(ConfigDuration.ParseError) -> Int64 {
    let units: [(String, Int64)] = [
        ("EiB", 1 << 60), ("PiB", 1 << 50), ("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10),
        ("EB", 1 << 60), ("PB", 1 << 50), ("TB", 1 << 40), ("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10), ("B", 1),
    ]
    if text == "0" { return 0 }
    for (suffix, mult) in units where text.hasSuffix(suffix) {
        let number = text.dropLast(suffix.count)
        if let n = Int64(number), n >= 0, n <= Int64.max / mult { return n * mult }
        if let d = Double(number), d >= 0, d.isFinite, d * Double(mult) < 9.2e18 { return Int64(d * Double(mult)) }
        break
    }
    throw .init(message: "not a valid size: \"\(text)\" (a number and a unit B, KB, MB, GB, TB, PB, EB or KiB…EiB, base 2)")
}
