import TSDB

/// How a job's samples become series: the parts of a scrape config the ingester applies.
public struct ScrapeRules: Sendable, Equatable {
    public var honorLabels = false
    public var honorTimestamps = true
    public var metricRelabelConfigs: [RelabelConfig] = []
    public var limits = ScrapeLimits()

    public init(honorLabels: Bool = false, honorTimestamps: Bool = true, metricRelabelConfigs: [RelabelConfig] = [], limits: ScrapeLimits = ScrapeLimits()) {
        self.honorLabels = honorLabels
        self.honorTimestamps = honorTimestamps
        self.metricRelabelConfigs = metricRelabelConfigs
        self.limits = limits
    }

    public init(_ config: ScrapeConfig) {
        self.init(honorLabels: config.honorLabels, honorTimestamps: config.honorTimestamps,
                  metricRelabelConfigs: config.metricRelabelConfigs, limits: config.limits)
    }
}

/// Why a scrape's samples were not stored; the whole scrape is rolled back.
public enum IngestError: Error, Sendable, Equatable, CustomStringConvertible {
    case parse(ExpositionErrorText)
    case sampleLimit(limit: Int)
    case labelLimit(String)
    case missingMetricName(series: String)

    public var description: String {
        switch self {
        case .parse(let e): e.text
        case .sampleLimit: "sample limit exceeded"
        case .labelLimit(let message): message
        case .missingMetricName(let series): "__name__ label is missing after relabeling (series \(series))"
        }
    }
}

/// A parse error as text (the parser's error type stays in its module).
public struct ExpositionErrorText: Sendable, Equatable {
    public let text: String
}

/// Prometheus's `mutateSampleLabels`: target labels over exposed ones, with `honor_labels`.
enum SampleLabels {
    static func merge(exposed: [String: String], target: [Label], honor: Bool) -> [String: String] {
        var out = exposed
        if honor {
            for l in target where (exposed[l.name] ?? "").isEmpty { out[l.name] = l.value }
            return out
        }
        var conflicts: [(name: String, value: String)] = []
        for l in target {
            if let v = exposed[l.name], !v.isEmpty { conflicts.append((l.name, v)) }
            out[l.name] = l.value
        }
        guard !conflicts.isEmpty else { return out }
        // Shortest names first, each renamed `exported_…` until it clashes with nothing.
        let ordered = conflicts.enumerated().sorted { ($0.element.name.utf8.count, $0.offset) < ($1.element.name.utf8.count, $1.offset) }.map(\.element)
        var renamed: [(String, String)] = []
        for c in ordered {
            var name = c.name
            repeat {
                name = "exported_" + name
            } while exposed[name] != nil || target.contains(where: { $0.name == name }) || renamed.contains(where: { $0.0 == name })
            renamed.append((name, c.value))
        }
        for (n, v) in renamed { out[n] = v }
        return out
    }

    /// Prometheus's `verifyLabelLimits`, with its messages.
    static func limitProblem(_ labels: [String: String], _ limits: ScrapeLimits) -> String? {
        let metric = String((labels["__name__"] ?? "").prefix(50))
        if limits.labelLimit > 0 && labels.count > limits.labelLimit {
            return "label_limit exceeded (metric: \(metric), number of labels: \(labels.count), limit: \(limits.labelLimit))"
        }
        for (name, value) in labels.sorted(by: { $0.key < $1.key }) {
            if limits.labelNameLengthLimit > 0 && name.utf8.count > limits.labelNameLengthLimit {
                return "label_name_length_limit exceeded (metric: \(metric), label name: \(name.prefix(50)), length: \(name.utf8.count), limit: \(limits.labelNameLengthLimit))"
            }
            if limits.labelValueLengthLimit > 0 && value.utf8.count > limits.labelValueLengthLimit {
                return "label_value_length_limit exceeded (metric: \(metric), label name: \(name.prefix(50)), value: \"\(value.prefix(50))\", length: \(value.utf8.count), limit: \(limits.labelValueLengthLimit))"
            }
        }
        return nil
    }
}
