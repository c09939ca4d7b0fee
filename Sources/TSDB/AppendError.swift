/// Why one sample was not appended, in Prometheus's words.
public enum AppendError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Older than the series' latest sample.
    case outOfOrder(series: Labels, timestamp: Int64, latest: Int64)
    /// Older than the store accepts (its latest time minus retention).
    case tooOld(series: Labels, timestamp: Int64, minValid: Int64)
    /// Same timestamp as the latest sample, different value.
    case duplicateTimestamp(series: Labels, timestamp: Int64)

    public var description: String {
        switch self {
        case .outOfOrder(let s, let t, let latest): "out of order sample: \(s) at \(t) ms, latest is \(latest) ms"
        case .tooOld(let s, let t, let minValid): "too old sample: \(s) at \(t) ms, oldest accepted is \(minValid) ms"
        case .duplicateTimestamp(let s, let t): "duplicate sample for timestamp: \(s) at \(t) ms has a different value"
        }
    }
}
