import Exposition
import PromQL
import TSDB

/// `/federate`: the latest sample of every series matching any `match[]` selector within the
/// lookback window, as Prometheus 2.42's federation handler writes it (text 0.0.4, families
/// `untyped`, series sorted by labels, stale markers skipped, external labels and an empty
/// `instance` added where the series lacks them, each sample with its timestamp).
public struct Federation: Sendable {
    public let querier: HeadQuerier
    public let externalLabels: [String: String]
    public var lookbackMs: Int64 = 5 * 60_000

    public init(querier: HeadQuerier, externalLabels: [String: String]) {
        self.querier = querier
        self.externalLabels = externalLabels
    }

    public func render(selectors: [SeriesSelector], nowMs: Int64) -> [UInt8] {
        var latest: [(labels: Labels, t: Int64, v: Double)] = []
        var seen = Set<Labels>()
        for selector in selectors {
            for series in querier.select(selector.matchers, minTime: nowMs - lookbackMs, maxTime: nowMs) where !seen.contains(series.labels) {
                seen.insert(series.labels)
                guard let last = series.samples().last(where: { $0.t <= nowMs && $0.t >= nowMs - lookbackMs }) else { continue }
                if StalenessMarker.isStale(last.v) { continue }
                latest.append((series.labels, last.t, last.v))
            }
        }
        latest.sort { $0.labels.pairs.lexicographicallyPrecedes($1.labels.pairs) }
        var external = externalLabels
        if external["instance"] == nil { external["instance"] = "" }
        let externalNames = external.keys.sorted()
        var out: [UInt8] = []
        var lastName: String? = nil
        for sample in latest {
            guard let name = sample.labels.metricName else { continue }
            if name != lastName {
                out.append(contentsOf: "# TYPE \(name) untyped\n".utf8)
                lastName = name
            }
            out.append(contentsOf: name.utf8)
            var pairs = sample.labels.pairs.filter { $0.name != "__name__" }.map { ($0.name, $0.value) }
            for n in externalNames where sample.labels[n] == nil { pairs.append((n, external[n]!)) }
            if !pairs.isEmpty {
                out.append(UInt8(ascii: "{"))
                for (i, (n, v)) in pairs.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    out.append(contentsOf: n.utf8)
                    out.append(contentsOf: "=\"".utf8)
                    appendEscapedLabelValue(v, to: &out)
                    out.append(UInt8(ascii: "\""))
                }
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: " "))
            appendGoFloat(sample.v, to: &out)
            out.append(contentsOf: " \(sample.t)\n".utf8)
        }
        return out
    }

    func appendEscapedLabelValue(_ v: String, to out: inout [UInt8]) {
        for b in v.utf8 {
            switch b {
            case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
            case UInt8(ascii: "\n"): out.append(contentsOf: "\\n".utf8)
            default: out.append(b)
            }
        }
    }
}
