import Exposition
import TSDB

/// The TYPE, HELP and UNIT a target exposes per metric family, for `/api/v1/metadata`. A line
/// already seen is recognised by the hash of its bytes, so a steady scrape allocates nothing here.
public struct TargetMetadata: Sendable {
    /// One family's metadata as Prometheus's API shows it.
    public struct Entry: Sendable, Hashable {
        public var type = "unknown"
        public var help = ""
        public var unit = ""

        public init(type: String = "unknown", help: String = "", unit: String = "") {
            self.type = type
            self.help = help
            self.unit = unit
        }
    }

    public private(set) var families: [String: Entry] = [:]
    private var seenLines = Set<UInt64>()

    public init() {}

    /// Records the current HELP, TYPE or UNIT entry of `parser`.
    mutating func observe(_ parser: ExpositionParser, _ entry: ExpositionEntry) {
        // The name, the kind of line and what it says: a changed line has a new hash.
        let hash = parser.bytes.withUnsafeBufferPointer { buf in
            let said = entry == .type ? UInt64(typeCode(parser.metricType)) : fastHash(buf, parser.text)
            return (fastHash(buf, parser.metricName) &* 31 ^ said) &* 7 &+ UInt64(entry == .help ? 1 : entry == .type ? 2 : 3)
        }
        guard seenLines.insert(hash).inserted else { return }
        // A target that churns through families does not grow the set without bound.
        if seenLines.count > 100_000 { seenLines = [hash] }
        let name = parser.metricNameString
        var current = families[name] ?? Entry()
        switch entry {
        case .help: current.help = parser.helpText()
        case .type: current.type = parser.metricType == .untyped ? "unknown" : parser.metricType.rawValue
        default: current.unit = parser.unitText
        }
        families[name] = current
    }

    private func typeCode(_ t: MetricType) -> Int { MetricType.allCases.firstIndex(of: t) ?? 0 }
}
