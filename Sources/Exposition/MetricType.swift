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

    init?(bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        for type in MetricType.allCases where type.rawValue.utf8.elementsEqual(bytes[range]) {
            self = type
            return
        }
        return nil
    }
}
