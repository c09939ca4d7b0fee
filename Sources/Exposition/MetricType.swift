/// The type a `# TYPE` line declares for a metric family.
public enum MetricType: String, Sendable, Hashable, CaseIterable {
    case counter
    case gauge
    case histogram
    case gaugehistogram
    case summary
    case info
    case stateset
    case unknown
    /// Text 0.0.4's name for `unknown`.
    case untyped

    private static let spellings: [(MetricType, [UInt8])] = allCases.map { ($0, Array($0.rawValue.utf8)) }

    init?(bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        let word = bytes[range]
        for type in Self.spellings where type.1.elementsEqual(word) {
            self = type.0
            return
        }
        return nil
    }
}
