import ConfigSupport

/// A group of targets sharing labels: a `static_configs` entry or one group of a file_sd file.
public struct TargetGroup: Sendable, Equatable {
    public var targets: [String]
    public var labels: [String: String]
    /// Where the group came from (`static:job:0`, `file:/etc/sd/a.json:2`), for the targets API.
    public var source: String

    public init(targets: [String], labels: [String: String] = [:], source: String) {
        self.targets = targets
        self.labels = labels
        self.source = source
    }

    init?(reading node: ConfigNode, source: String) {
        guard let m = node.mapping(allowed: ["targets", "labels"]) else { return nil }
        targets = []
        labels = [:]
        self.source = source
        for item in m["targets"]?.list ?? [] {
            guard let t = item.string else { continue }
            if let problem = Self.addressProblem(t) { item.fail(problem) } else { targets.append(t) }
        }
        for (name, value, child) in m["labels"]?.stringMap ?? [] {
            if !LabelNameRules.isValidLabelName(name) {
                child.fail("\"\(name)\" is not a valid label name")
            } else {
                labels[name] = value
            }
        }
    }

    /// Prometheus's `CheckTargetAddress`: a host[:port] without a path.
    static func addressProblem(_ address: String) -> String? {
        if address.isEmpty { return "empty target address" }
        if address.contains("/") { return "\"\(address)\" is not a valid hostname" }
        return nil
    }
}
