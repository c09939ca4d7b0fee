import ConfigSupport

/// `file_sd_configs`: target groups read from JSON or YAML files, re-read when they change.
public struct FileSDConfig: Sendable, Equatable {
    /// Paths or patterns (`*` in the last element only), resolved against the config file.
    public var files: [String] = []
    public var refreshInterval = ConfigDuration(milliseconds: 300_000)

    public init(files: [String], refreshInterval: ConfigDuration = ConfigDuration(milliseconds: 300_000)) {
        self.files = files
        self.refreshInterval = refreshInterval
    }

    init?(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["files", "refresh_interval"]) else { return nil }
        for item in m.require("files")?.list ?? [] {
            guard let f = item.string else { continue }
            if Self.isValidPattern(f) {
                files.append(node.document.resolvePath(f))
            } else {
                item.fail("path name \"\(f)\" is not valid for file discovery (a .json, .yml or .yaml file; `*` only in the last path element)")
            }
        }
        if let d = m["refresh_interval"]?.nonZeroDuration { refreshInterval = d }
    }

    /// `^[^*]*(\*[^/]*)?\.(json|yml|yaml|JSON|YML|YAML)$`
    static func isValidPattern(_ p: String) -> Bool {
        let exts = [".json", ".yml", ".yaml", ".JSON", ".YML", ".YAML"]
        guard let ext = exts.first(where: { p.hasSuffix($0) }) else { return false }
        let stem = p.dropLast(ext.count)
        guard let star = stem.firstIndex(of: "*") else { return true }
        let after = stem[stem.index(after: star)...]
        return !after.contains("*") && !after.contains("/")
    }
}
