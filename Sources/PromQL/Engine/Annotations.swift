/// Warnings and infos a query collects, in Prometheus's words (without the position suffix
/// Prometheus appends, as expressions here carry no positions), each once, in order.
final class Annotations {
    private(set) var warnings: [String] = []
    private(set) var infos: [String] = []

    func warn(_ message: String) {
        if !warnings.contains(message) { warnings.append(message) }
    }

    func info(_ message: String) {
        if !infos.contains(message) { infos.append(message) }
    }

    /// Checks a quantile parameter: Prometheus warns when it is outside [0, 1] or NaN.
    func checkQuantile(_ q: Double) {
        if !(q >= 0 && q <= 1) { warn("PromQL warning: quantile value should be between 0 and 1, got \(GoFloat.formatG(q))") }
    }

    /// `rate` and `increase` of a metric whose name does not say it is a counter.
    func checkCounterName(_ labels: [String: String]) {
        guard let name = labels["__name__"] else { return }
        if !["_total", "_sum", "_count", "_bucket"].contains(where: { name.hasSuffix($0) }) {
            info("PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"\(name)\"")
        }
    }
}

/// A query's value with the warnings and infos that came with it.
public struct QueryResult: Sendable {
    public let value: Value
    public let warnings: [String]
    public let infos: [String]
}
