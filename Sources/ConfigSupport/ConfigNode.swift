import Yams

/// One value of a config file with its path and position. Typed accessors report a wrong
/// type as an issue naming file, line and key, and return nil so reading can go on.
public struct ConfigNode {
    public let node: Node
    /// Dotted path from the root, as `global.scrape_interval`.
    public let path: String
    public let document: ConfigDocument

    public init(node: Node, path: String, document: ConfigDocument) {
        self.node = node
        self.path = path
        self.document = document
    }

    public var position: ConfigPosition {
        let mark = node.mark
        return ConfigPosition(file: document.file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    /// Records an issue at this node.
    public func fail(_ message: String) {
        document.record(ConfigIssue(position: position, key: path, message: message))
    }

    /// YAML `null` or `~` or an empty value: the key counts as unset, as in Prometheus.
    public var isNull: Bool {
        if case let .scalar(s) = node { return s.style == .plain && ["", "~", "null", "Null", "NULL"].contains(s.string) }
        return false
    }

    /// Any scalar as text (YAML's `8443` is accepted for a string field, as Go's yaml does).
    public var string: String? {
        guard case let .scalar(s) = node else {
            fail("expected a string, found a \(kind)")
            return nil
        }
        return s.string
    }

    public var bool: Bool? {
        if case let .scalar(s) = node, s.style == .plain {
            switch s.string {
            case "true", "True", "TRUE": return true
            case "false", "False", "FALSE": return false
            default: break
            }
        }
        fail("expected true or false, found \(describe)")
        return nil
    }

    public var int: Int? {
        if case let .scalar(s) = node, s.style == .plain, let v = Int(s.string) { return v }
        fail("expected an integer, found \(describe)")
        return nil
    }

    public var double: Double? {
        if case let .scalar(s) = node, s.style == .plain, let v = Double(s.string) { return v }
        fail("expected a number, found \(describe)")
        return nil
    }

    /// A Prometheus duration (`15s`, `1h30m`, `0`).
    public var duration: ConfigDuration? {
        guard let text = string else { return nil }
        do {
            return try ConfigDuration(parsing: text)
        } catch {
            fail(error.message)
            return nil
        }
    }

    /// A size in bytes, base 2 as Prometheus reads `body_size_limit` (`10MB` = 10 MiB).
    public var byteSize: Int64? {
        guard let text = string else { return nil }
        do {
            return try parseByteSize(text)
        } catch {
            fail(error.message)
            return nil
        }
    }

    /// The items of a sequence (null reads as empty).
    public var list: [ConfigNode]? {
        if isNull { return [] }
        guard case let .sequence(seq) = node else {
            fail("expected a list, found \(describe)")
            return nil
        }
        return seq.enumerated().map { ConfigNode(node: $1, path: "\(path)[\($0)]", document: document) }
    }

    public var stringList: [String]? {
        list.map { $0.compactMap(\.string) }
    }

    /// A mapping whose keys must all be in `allowed`; unknown and repeated keys are issues.
    public func mapping(allowed: Set<String>) -> ConfigMapping? {
        if isNull { return ConfigMapping(entries: [], parent: self) }
        guard case let .mapping(m) = node else {
            fail("expected a mapping, found \(describe)")
            return nil
        }
        var entries: [(String, ConfigNode)] = []
        var seen: [String: Int] = [:]
        for (keyNode, value) in m {
            let key = keyNode.string ?? ""
            let child = ConfigNode(node: value, path: path.isEmpty ? key : "\(path).\(key)", document: document)
            let keyAt = ConfigNode(node: keyNode, path: child.path, document: document)
            if let line = seen[key] {
                keyAt.fail("key already defined at line \(line)")
                continue
            }
            seen[key] = keyNode.mark?.line ?? 0
            guard allowed.contains(key) else {
                keyAt.fail("unknown key (allowed here: \(allowed.sorted().joined(separator: ", ")))")
                continue
            }
            entries.append((key, child))
        }
        return ConfigMapping(entries: entries, parent: self)
    }

    /// The entries of a mapping whose keys are free (labels, params).
    public var entries: [(key: String, node: ConfigNode)]? {
        if isNull { return [] }
        guard case let .mapping(m) = node else {
            fail("expected a mapping, found \(describe)")
            return nil
        }
        return m.compactMap { keyNode, value in
            guard let k = keyNode.string else { return nil }
            return (k, ConfigNode(node: value, path: path.isEmpty ? k : "\(path).\(k)", document: document))
        }
    }

    /// A mapping of strings to strings (labels); keys are not restricted.
    public var stringMap: [(key: String, value: String, node: ConfigNode)]? {
        entries?.compactMap { k, child in child.string.map { (k, $0, child) } }
    }

    var kind: String {
        switch node {
        case .scalar: "scalar"
        case .mapping: "mapping"
        case .sequence: "list"
        case .alias: "alias"
        }
    }

    var describe: String {
        if case let .scalar(s) = node { return "\"\(s.string)\"" }
        return "a \(kind)"
    }
}

/// The keys of one mapping, already checked against the allowed set.
public struct ConfigMapping {
    let entries: [(String, ConfigNode)]
    /// The mapping itself, to report a missing key at its position.
    public let parent: ConfigNode

    /// The value of `key`, nil when absent or null.
    public subscript(key: String) -> ConfigNode? {
        guard let node = entries.first(where: { $0.0 == key })?.1, !node.isNull else { return nil }
        return node
    }

    /// Reports a required key that is missing.
    public func require(_ key: String) -> ConfigNode? {
        if let node = self[key] { return node }
        document.record(ConfigIssue(position: parent.position, key: parent.path.isEmpty ? key : "\(parent.path).\(key)", message: "missing required key"))
        return nil
    }

    var document: ConfigDocument { parent.document }
}
