/// Where in a config file a value sits (1-based line and column, as editors count them).
public struct ConfigPosition: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One thing wrong in a config file: where, which key, and what.
public struct ConfigIssue: Error, Sendable, Hashable, CustomStringConvertible {
    public let position: ConfigPosition
    /// The key's path from the file's root, as `scrape_configs[1].relabel_configs[0].regex`.
    public let key: String
    public let message: String

    public init(position: ConfigPosition, key: String, message: String) {
        self.position = position
        self.key = key
        self.message = message
    }

    public var description: String {
        key.isEmpty ? "\(position): \(message)" : "\(position): \(key): \(message)"
    }
}

/// Every issue found in a config file; a file with any issue is not used.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let issues: [ConfigIssue]

    public init(issues: [ConfigIssue]) { self.issues = issues }

    public var description: String { issues.map(\.description).joined(separator: "\n") }
}
