import ConfigSupport
import Notify
import Remote
import Scrape
import TSDB

#if canImport(Glibc)
import Glibc
#endif

/// The whole config file, in Prometheus's shape. Each module owns its section's type; this
/// composes them, checks what spans sections (unique job names) and reports every issue.
public struct ScalewatchConfig: Sendable, Equatable {
    public var global = GlobalConfig()
    public var scrapeConfigs: [ScrapeConfig] = []
    public var storage = StorageSection()
    public var web = WebSection()
    public var remoteWrite: [RemoteWriteConfig] = []
    /// `alerting`: Alertmanagers and alert relabeling.
    public var alerting = AlertingConfig()
    public var alertRelabelConfigs: [RelabelConfig] = []
    /// `autoscaling`: replica policies.
    public var autoscaling = AutoscalingConfig()
    /// `rule_files`: globs, resolved against the config file's directory.
    public var ruleFiles: [String] = []
    /// How often firing alerts are sent again (the `--rules.alert.resend-delay` flag, not the file).
    public var resendDelayMs: Int64 = 60_000
    /// The text the config was read from (`/api/v1/status/config`).
    public var sourceText = ""

    public init() {}

    /// Sections later issues add; named so the error says they are not read yet.
    static let plannedSections: Set<String> = ["remote_read", "kubernetes"]
    static let sections: Set<String> = ["global", "scrape_configs", "storage", "web", "remote_write", "rule_files", "alerting", "autoscaling"]

    /// Reads a config from text; throws every issue at once.
    public init(text: String, file: String) throws(ConfigError) {
        let doc = ConfigDocument(file: file, text: text)
        let root = doc.rootNode
        self.init(reading: root)
        sourceText = text
        try doc.check()
    }

    /// Reads the file at `path`.
    public static func load(path: String) throws(ConfigError) -> ScalewatchConfig {
        guard let text = readTextFile(path) else {
            throw ConfigError(issues: [ConfigIssue(
                position: ConfigPosition(file: path, line: 0, column: 0), key: "",
                message: "cannot read config file: \(String(cString: strerror(errno)))")])
        }
        return try ScalewatchConfig(text: text, file: path)
    }

    init(reading root: ConfigNode) {
        if root.isNull { return }
        guard let m = root.mapping(allowed: Self.sections.union(Self.plannedSections)) else { return }
        for key in Self.plannedSections {
            m[key]?.fail("section not supported by this version of Scalewatch yet")
        }
        if let g = m["global"] { global = GlobalConfig(reading: g) }
        var seenJobs: [String: Int] = [:]
        for node in m["scrape_configs"]?.list ?? [] {
            guard let job = ScrapeConfig(reading: node, global: global) else { continue }
            if let line = seenJobs[job.jobName] {
                node.fail("found multiple scrape configs with job name \"\(job.jobName)\" (first at line \(line))")
                continue
            }
            seenJobs[job.jobName] = node.position.line
            scrapeConfigs.append(job)
        }
        if let s = m["storage"] { storage = StorageSection(reading: s) }
        if let w = m["web"] { web = WebSection(reading: w) }
        remoteWrite = (m["remote_write"]?.list ?? []).compactMap(RemoteWriteConfig.init(reading:))
        ruleFiles = (m["rule_files"]?.stringList ?? []).map { root.document.resolvePath($0) }
        if let a = m["autoscaling"] { autoscaling = AutoscalingConfig(reading: a) }
        if let a = m["alerting"] {
            var relabel: [RelabelConfig] = []
            alerting = AlertingConfig(reading: a) { node in relabel = (node.list ?? []).compactMap(RelabelConfig.init(reading:)) }
            alertRelabelConfigs = relabel
        }
    }
}
