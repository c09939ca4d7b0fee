import ConfigSupport

#if canImport(Glibc)
import Glibc
#endif

/// Reads a file_sd file (JSON or YAML: a list of `{targets: [...], labels: {...}}`) with the
/// same checks as the config file, so a bad file names its line and key.
public enum TargetGroupFile {
    public static func read(path: String) throws(ConfigError) -> [TargetGroup] {
        guard let text = readWholeFile(path) else {
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

func readWholeFile(_ path: String) -> String? {
    guard let f = fopen(path, "rb") else { return nil }
    defer { fclose(f) }
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65_536)
    while true {
        let n = fread(&buffer, 1, buffer.count, f)
        bytes.append(contentsOf: buffer[0..<n])
        if n < buffer.count { break }
    }
    return String(decoding: bytes, as: UTF8.self)
}
