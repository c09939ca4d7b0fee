import ConfigSupport
import TSDB

/// Turns discovered targets into `ScrapeTarget`s as Prometheus 2.42's `PopulateLabels` does:
/// job and scrape settings as `__` labels, `relabel_configs`, a default port, meta labels
/// removed, `instance` defaulting to the address.
public enum TargetBuilder {
    /// Why a discovered target cannot be scraped.
    public struct Problem: Error, Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// The target for `address` in `group` under `config`; nil when relabeling drops it.
    public static func build(address: String, group: TargetGroup, config: ScrapeConfig) throws(Problem) -> ScrapeTarget? {
        var discovered = group.labels
        discovered["__address__"] = address
        var lset = discovered
        for (name, value) in [
            ("job", config.jobName), ("__scrape_interval__", config.scrapeInterval.description),
            ("__scrape_timeout__", config.scrapeTimeout.description), ("__metrics_path__", config.metricsPath),
            ("__scheme__", config.scheme),
        ] where (lset[name] ?? "").isEmpty {
            lset[name] = value
        }
        for (name, values) in config.params {
            if let first = values.first { lset["__param_" + name] = first }
        }
        let preRelabel = lset
        guard var out = Relabeler.process(lset, config.relabelConfigs) else { return nil }
        guard var addr = out["__address__"], !addr.isEmpty else { throw Problem(message: "no address") }
        let scheme = out["__scheme__"] ?? ""
        if !hasPort(addr) {
            switch scheme {
            case "http", "": addr += ":80"
            case "https": addr += ":443"
            default: throw Problem(message: "invalid scheme: \"\(scheme)\"")
            }
            out["__address__"] = addr
        }
        if let problem = TargetGroup.addressProblem(addr) { throw Problem(message: problem) }
        let interval: ConfigDurationValue
        do { interval = try ConfigDurationValue(out["__scrape_interval__"] ?? "") } catch {
            throw Problem(message: "error parsing scrape interval: \(error.message)")
        }
        let timeout: ConfigDurationValue
        do { timeout = try ConfigDurationValue(out["__scrape_timeout__"] ?? "") } catch {
            throw Problem(message: "error parsing scrape timeout: \(error.message)")
        }
        if interval.ms == 0 { throw Problem(message: "scrape interval cannot be 0") }
        if timeout.ms == 0 { throw Problem(message: "scrape timeout cannot be 0") }
        if timeout.ms > interval.ms {
            throw Problem(message: "scrape timeout cannot be greater than scrape interval (\"\(timeout.text)\" > \"\(interval.text)\")")
        }
        for name in out.keys where name.hasPrefix("__meta_") { out[name] = nil }
        if (out["instance"] ?? "").isEmpty { out["instance"] = addr }
        let pathAndQuery = makePathAndQuery(path: out["__metrics_path__"] ?? "", params: config.params, labels: out)
        let visible = out.filter { !$0.key.hasPrefix("__") && !$0.value.isEmpty }.map { Label($0.key, $0.value) }
        return ScrapeTarget(labels: visible, discoveredLabels: preRelabel, scheme: scheme.isEmpty ? "http" : scheme, address: addr,
                            pathAndQuery: pathAndQuery, intervalMs: interval.ms, timeoutMs: timeout.ms)
    }

    /// Go's `net.SplitHostPort` succeeding: `host:port` or `[v6]:port`.
    static func hasPort(_ address: String) -> Bool {
        if address.hasPrefix("[") {
            guard let close = address.firstIndex(of: "]") else { return false }
            return address[address.index(after: close)...].hasPrefix(":")
        }
        return address.filter { $0 == ":" }.count == 1
    }

    /// `/path?query`, `__param_*` labels overriding the config's first value.
    static func makePathAndQuery(path: String, params: [String: [String]], labels: [String: String]) -> String {
        var query = params
        for (name, value) in labels where name.hasPrefix("__param_") {
            let key = String(name.dropFirst("__param_".count))
            if var existing = query[key], !existing.isEmpty {
                existing[0] = value
                query[key] = existing
            } else {
                query[key] = [value]
            }
        }
        var url = path.hasPrefix("/") ? path : "/" + path
        if !query.isEmpty {
            // Go's url.Values.Encode: keys sorted, values in order, query-escaped.
            let parts = query.keys.sorted().flatMap { k in query[k]!.map { "\(URLQueryEscape.escape(k))=\(URLQueryEscape.escape($0))" } }
            url += "?" + parts.joined(separator: "&")
        }
        return url
    }

}

/// A duration label value (`__scrape_interval__`), parsed as the config parses durations.
struct ConfigDurationValue {
    let ms: Int64
    let text: String

    init(_ text: String) throws(ConfigDurationError) {
        do {
            ms = try ConfigDuration(parsing: text).milliseconds
        } catch {
            throw ConfigDurationError(message: error.message)
        }
        self.text = text
    }
}

struct ConfigDurationError: Error {
    let message: String
}
