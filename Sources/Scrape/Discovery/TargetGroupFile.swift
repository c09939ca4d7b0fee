import ConfigSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file_sd file (JSON or YAML: a list of `{targets: [...], labels: {...}}`) with the
/// same checks as the config file, so a bad file names its line and key.
public enum TargetGroupFile {
    public static func read(path: String) throws(ConfigError) -> [TargetGroup] {
        guard let text = readTextFile(path) else {
            throw ConfigError(issues: [ConfigIssue(position: ConfigPosition(file: path, line: 0, column: 0), key: "",
                                                   message: "cannot read file: \(String(cString: strerror(errno)))")])
        }
        let doc = ConfigDocument(file: path, text: text)
        var groups: [TargetGroup] = []
        for (i, node) in (doc.rootNode.list ?? []).enumerated() {
            guard var group = TargetGroup(reading: node, source: "file:\(path):\(i)") else { continue }
            group.labels["__meta_filepath"] = path
            groups.append(group)
        }
        try doc.check()
        return groups
    }

    /// Paths matching a file_sd pattern (`*` in the last element), sorted.
    public static func expand(_ pattern: String) -> [String] {
        guard pattern.contains("*") else { return [pattern] }
        var g = glob_t()
        defer { globfree(&g) }
        guard glob(pattern, 0, nil, &g) == 0 else { return [] }
        return (0..<Int(g.gl_pathc)).compactMap { g.gl_pathv[$0].map { String(cString: $0) } }.sorted()
    }

    /// The file's modification time and size, to notice changes; nil when it does not exist.
    public static func stamp(_ path: String) -> [Int64]? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return [Int64(st.st_mtim.tv_sec), Int64(st.st_mtim.tv_nsec), Int64(st.st_size)]
    }
}
