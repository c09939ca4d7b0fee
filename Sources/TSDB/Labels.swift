/// The identity of a series: label pairs sorted by name, names unique, no empty values
/// (an empty value means the label is absent, as in Prometheus).
public struct Labels: Sendable, Hashable, CustomStringConvertible {
    public private(set) var pairs: [Label]

    /// Sorts `pairs` by name, drops empty values and interns the strings.
    /// Throws when a name appears twice.
    public init(_ pairs: [Label]) throws(LabelsError) {
        var sorted = pairs.filter { !$0.value.isEmpty }
        sorted.sort { $0.name < $1.name }
        for i in sorted.indices.dropFirst() where sorted[i].name == sorted[i - 1].name {
            throw .duplicateLabelName(sorted[i].name)
        }
        self.pairs = sorted.map { Label(LabelInterner.shared.intern($0.name), LabelInterner.shared.intern($0.value)) }
    }

    /// Builds labels from a dictionary literal-like list, for tests and config.
    public init(_ dictionary: [String: String]) {
        // Dictionary keys are unique, so this cannot throw.
        self.pairs = dictionary.filter { !$0.value.isEmpty }
            .map { Label(LabelInterner.shared.intern($0.key), LabelInterner.shared.intern($0.value)) }
            .sorted { $0.name < $1.name }
    }

    /// Labels already sorted, unique and interned (snapshot and WAL replay).
    init(trustedSortedPairs pairs: [Label]) {
        self.pairs = pairs
    }

    public static let empty = Labels(trustedSortedPairs: [])

    public var count: Int { pairs.count }

    public subscript(name: String) -> String? {
        pairs.first { $0.name == name }?.value
    }

    /// The value of `__name__`, if any.
    public var metricName: String? { self["__name__"] }

    /// Prometheus's notation: `name{a="1", b="2"}`.
    public var description: String {
        var out = metricName ?? ""
        let rest = pairs.filter { $0.name != "__name__" }
        if rest.isEmpty && !out.isEmpty { return out }
        out += "{"
        out += rest.map { "\($0.name)=\"\(escaped($0.value))\"" }.joined(separator: ", ")
        return out + "}"
    }

    /// Go's `labels.Labels.String()`: every label, the name included, as `{a="1", b="2"}`.
    public var braced: String {
        "{" + pairs.map { "\($0.name)=\"\(escaped($0.value))\"" }.joined(separator: ", ") + "}"
    }

    private func escaped(_ v: String) -> String {
        v.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"").replacingOccurrences("\n", "\\n")
    }
}

/// Why a label set is not a valid series identity.
public enum LabelsError: Error, Sendable, Hashable, CustomStringConvertible {
    case duplicateLabelName(String)
    case invalidLabelName(String)
    case emptyLabelName

    public var description: String {
        switch self {
        case .duplicateLabelName(let n): "label name \"\(n)\" appears more than once"
        case .invalidLabelName(let n): "invalid label name \"\(n)\""
        case .emptyLabelName: "empty label name"
        }
    }
}

extension String {
    func replacingOccurrences(_ target: String, _ replacement: String) -> String {
        guard contains(target) else { return self }
        return split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
