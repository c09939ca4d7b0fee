import Yams

/// A YAML config file being read: the source of `ConfigNode`s and the sink of their issues.
///
/// Reading never stops at the first problem: every section reports what is wrong with it and
/// reading goes on, so `check config` can print all issues at once.
public final class ConfigDocument {
    public let file: String
    public private(set) var issues: [ConfigIssue] = []
    private var root: Node?

    /// Parses `text`; a YAML syntax error becomes the document's first issue.
    public init(file: String, text: String) {
        self.file = file
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            record(Self.issue(for: error, file: file))
        } catch {
            record(ConfigIssue(position: ConfigPosition(file: file, line: 1, column: 1), key: "", message: "\(error)"))
        }
    }

    /// The whole document (null for an empty or unparsable file, so it adds no issue of its own).
    public var rootNode: ConfigNode {
        ConfigNode(node: root ?? .scalar(Node.Scalar("")), path: "", document: self)
    }

    public func record(_ issue: ConfigIssue) { issues.append(issue) }

    /// A path from the file, resolved against the file's directory as Prometheus does.
    public func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") || path.isEmpty { return path }
        guard let slash = file.lastIndex(of: "/") else { return path }
        return String(file[...slash]) + path
    }

    /// Throws every recorded issue, or returns when there are none.
    public func check() throws(ConfigError) {
        if !issues.isEmpty {
            throw ConfigError(issues: issues.sorted { ($0.position.line, $0.position.column) < ($1.position.line, $1.position.column) })
        }
    }

    static func issue(for error: YamlError, file: String) -> ConfigIssue {
        let position: (Int, Int)
        let problem: String
        switch error {
        case let .scanner(_, p, mark, _), let .parser(_, p, mark, _), let .composer(_, p, mark, _):
            position = (mark.line, mark.column)
            problem = p
        case let .reader(p, _, _, _):
            position = (1, 1)
            problem = p
        default:
            position = (1, 1)
            problem = "\(error)"
        }
        return ConfigIssue(
            position: ConfigPosition(file: file, line: position.0, column: position.1),
            key: "", message: "YAML syntax error: \(problem)")
    }
}
