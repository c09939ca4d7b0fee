import ConfigSupport

/// One `scrape_configs` entry, in Prometheus's shape and with its defaults.
public struct ScrapeConfig: Sendable, Equatable {
    public var jobName: String
    public var scrapeInterval: ConfigDuration
    public var scrapeTimeout: ConfigDuration
    public var metricsPath = "/metrics"
    public var scheme = "http"
    public var params: [String: [String]] = [:]
    public var honorLabels = false
    public var honorTimestamps = true
    public var staticConfigs: [TargetGroup] = []
    public var fileSDConfigs: [FileSDConfig] = []
    public var relabelConfigs: [RelabelConfig] = []
    public var metricRelabelConfigs: [RelabelConfig] = []
    public var limits = ScrapeLimits()
    public var authorization: AuthorizationConfig? = nil
    public var basicAuth: BasicAuthConfig? = nil
    public var tls = TLSSettings()
    public var enableCompression = true

    /// A job with the global defaults, as a config file without the optional keys gives.
    public init(jobName: String, global: GlobalConfig = GlobalConfig()) {
        self.jobName = jobName
        scrapeInterval = global.scrapeInterval
        scrapeTimeout = global.scrapeTimeout
    }

    static let keys: Set<String> = [
        "job_name", "scrape_interval", "scrape_timeout", "metrics_path", "scheme", "params", "honor_labels",
        "honor_timestamps", "static_configs", "file_sd_configs", "relabel_configs", "metric_relabel_configs",
        "sample_limit", "label_limit", "label_name_length_limit", "label_value_length_limit", "body_size_limit",
        "authorization", "basic_auth", "tls_config", "enable_compression",
    ]

    /// Reads one job; every problem is reported to the node's document.
    public init?(reading node: ConfigNode, global: GlobalConfig) {
        guard let m = node.mapping(allowed: Self.keys) else { return nil }
        jobName = m.require("job_name")?.string ?? ""
        scrapeInterval = global.scrapeInterval
        scrapeTimeout = global.scrapeTimeout
        if let d = m["scrape_interval"]?.nonZeroDuration { scrapeInterval = d }
        if let n = m["scrape_timeout"], let d = n.nonZeroDuration {
            scrapeTimeout = d
            if d > scrapeInterval {
                n.fail("scrape timeout greater than scrape interval for scrape config with job name \"\(jobName)\"")
            }
        } else if global.scrapeTimeout > scrapeInterval {
            // Prometheus's rule: an unset timeout is the global one, capped at the job's interval.
            scrapeTimeout = scrapeInterval
        }
        if let p = m["metrics_path"]?.string { metricsPath = p }
        if let n = m["scheme"], let s = n.string {
            if s == "http" || s == "https" { scheme = s } else { n.fail("invalid scheme \"\(s)\" (http or https)") }
        }
        for (name, child) in m["params"]?.entries ?? [] {
            if let values = child.stringList { params[name] = values }
        }
        if let b = m["honor_labels"]?.bool { honorLabels = b }
        if let b = m["honor_timestamps"]?.bool { honorTimestamps = b }
        if let b = m["enable_compression"]?.bool { enableCompression = b }
        staticConfigs = (m["static_configs"]?.list ?? []).enumerated().compactMap { i, n in
            TargetGroup(reading: n, source: "static:\(jobName):\(i)")
        }
        fileSDConfigs = (m["file_sd_configs"]?.list ?? []).compactMap(FileSDConfig.init(reading:))
        relabelConfigs = (m["relabel_configs"]?.list ?? []).compactMap(RelabelConfig.init(reading:))
        metricRelabelConfigs = (m["metric_relabel_configs"]?.list ?? []).compactMap(RelabelConfig.init(reading:))
        limits = ScrapeLimits(reading: m)
        authorization = m["authorization"].flatMap(AuthorizationConfig.init(reading:))
        basicAuth = m["basic_auth"].flatMap(BasicAuthConfig.init(reading:))
        if authorization != nil && basicAuth != nil {
            node.fail("at most one of basic_auth, oauth2 & authorization must be configured")
        }
        if let t = m["tls_config"] { tls = TLSSettings(reading: t) }
    }
}
