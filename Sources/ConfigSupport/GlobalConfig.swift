/// The `global` section: defaults for every scrape job and rule group, and the external labels.
public struct GlobalConfig: Sendable, Equatable {
    public var scrapeInterval = ConfigDuration(milliseconds: 60_000)
    public var scrapeTimeout = ConfigDuration(milliseconds: 10_000)
    public var evaluationInterval = ConfigDuration(milliseconds: 60_000)
    public var externalLabels: [String: String] = [:]

    public init() {}

    static let keys: Set<String> = ["scrape_interval", "scrape_timeout", "evaluation_interval", "external_labels"]

    /// Reads the section, reporting problems to the document; unset keys keep Prometheus's defaults.
    public init(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: Self.keys) else { return }
        if let d = m["scrape_interval"]?.nonZeroDuration { scrapeInterval = d }
        if let d = m["evaluation_interval"]?.nonZeroDuration { evaluationInterval = d }
        // As in Prometheus: a set timeout longer than the interval is an error; an unset one
        // is the default 10s, capped at the interval.
        if let n = m["scrape_timeout"], let d = n.nonZeroDuration {
            scrapeTimeout = d
            if d > scrapeInterval { n.fail("global scrape timeout greater than scrape interval") }
        } else if scrapeTimeout > scrapeInterval {
            scrapeTimeout = scrapeInterval
        }
        for (name, value, child) in m["external_labels"]?.stringMap ?? [] {
            if !LabelNameRules.isValidLabelName(name) {
                child.fail("\"\(name)\" is not a valid label name")
            } else if !value.isEmpty {
                externalLabels[name] = value
            }
        }
    }
}

extension ConfigNode {
    /// A duration that must be above zero.
    public var nonZeroDuration: ConfigDuration? {
        guard let d = duration else { return nil }
        if d.milliseconds <= 0 {
            fail("duration must be greater than 0")
            return nil
        }
        return d
    }
}
