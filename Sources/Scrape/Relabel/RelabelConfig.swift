import ConfigSupport

/// One `relabel_configs` / `metric_relabel_configs` entry, with Prometheus's defaults
/// (action `replace`, separator `;`, regex `(.*)`, replacement `$1`) and its validation rules.
public struct RelabelConfig: Sendable, Equatable {
    public var sourceLabels: [String] = []
    public var separator = ";"
    public var regex = RelabelRegex.default
    public var modulus: UInt64 = 0
    public var targetLabel = ""
    public var replacement = "$1"
    public var action = RelabelAction.replace

    public init() {}

    static let keys: Set<String> = ["source_labels", "separator", "regex", "modulus", "target_label", "replacement", "action"]

    /// Reads one entry, reporting every problem at its key; nil when the entry is unusable.
    public init?(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: Self.keys) else { return nil }
        let issuesBefore = node.document.issues.count
        if let list = m["source_labels"]?.list {
            for item in list {
                guard let name = item.string else { continue }
                if LabelNameRules.isValidLabelName(name) { sourceLabels.append(name) } else { item.fail("\"\(name)\" is not a valid label name") }
            }
        }
        if let s = m["separator"]?.string { separator = s }
        if let r = m["regex"], let text = r.string {
            do { regex = try RelabelRegex(text) } catch { r.fail("\(error)") }
        }
        if let n = m["modulus"], let v = n.int {
            if v >= 0 { modulus = UInt64(v) } else { n.fail("modulus must not be negative") }
        }
        if let t = m["target_label"]?.string { targetLabel = t }
        if let r = m["replacement"]?.string { replacement = r }
        let actionNode = m["action"]
        if let a = actionNode, let text = a.string {
            if let parsed = RelabelAction(rawValue: text.lowercased()) {
                action = parsed
            } else {
                a.fail("unknown relabel action \"\(text)\" (one of \(RelabelAction.allCases.map(\.rawValue).joined(separator: ", ")))")
            }
        }
        for problem in validationProblems(explicit: Set(Self.keys.filter { m[$0] != nil })) {
            (actionNode ?? node).fail(problem)
        }
        if node.document.issues.count > issuesBefore { return nil }
    }

    /// Prometheus 2.42's `relabel.Config` checks, in its words.
    func validationProblems(explicit: Set<String>) -> [String] {
        var problems: [String] = []
        let a = action.rawValue
        if modulus == 0 && action == .hashmod { problems.append("relabel configuration for hashmod requires non-zero modulus") }
        let needsTarget: Set<RelabelAction> = [.replace, .hashmod, .lowercase, .uppercase, .keepequal, .dropequal]
        if needsTarget.contains(action) && targetLabel.isEmpty {
            problems.append("relabel configuration for \(a) action requires 'target_label' value")
        }
        let templatedTarget: Set<RelabelAction> = [.replace, .lowercase, .uppercase, .keepequal, .dropequal]
        if templatedTarget.contains(action) && !targetLabel.isEmpty && !Self.isRelabelTarget(targetLabel) {
            problems.append("\"\(targetLabel)\" is invalid 'target_label' for \(a) action")
        }
        let noReplacement: Set<RelabelAction> = [.lowercase, .uppercase, .keepequal, .dropequal]
        if noReplacement.contains(action) && replacement != "$1" {
            problems.append("'replacement' can not be set for \(a) action")
        }
        if action == .labelmap && !Self.isRelabelTarget(replacement) {
            problems.append("\"\(replacement)\" is invalid 'replacement' for \(a) action")
        }
        if action == .hashmod && !targetLabel.isEmpty && !LabelNameRules.isValidLabelName(targetLabel) {
            problems.append("\"\(targetLabel)\" is invalid 'target_label' for \(a) action")
        }
        if (action == .keepequal || action == .dropequal)
            && (regex != .default || modulus != 0 || separator != ";" || replacement != "$1") {
            problems.append("\(a) action requires only 'source_labels' and `target_label`, and no other fields")
        }
        if (action == .labeldrop || action == .labelkeep)
            && (explicit.contains("source_labels") || !targetLabel.isEmpty || modulus != 0 || separator != ";" || replacement != "$1") {
            problems.append("\(a) action requires only 'regex', and no other fields")
        }
        return problems
    }

    /// `^(?:(?:[a-zA-Z_]|\$(?:\{\w+\}|\w+))+\w*)+$`: a label name, possibly with `$1`/`${name}` parts.
    static func isRelabelTarget(_ s: String) -> Bool {
        let chars = Array(s.unicodeScalars)
        func word(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c))) }
        func letter(_ c: Unicode.Scalar) -> Bool { c == "_" || (c.isASCII && c.properties.isAlphabetic) }
        var i = 0
        guard !chars.isEmpty else { return false }
        while i < chars.count {
            if letter(chars[i]) {
                i += 1
            } else if chars[i] == "$" {
                i += 1
                if i < chars.count, chars[i] == "{" {
                    let start = i + 1
                    var j = start
                    while j < chars.count, word(chars[j]) { j += 1 }
                    guard j > start, j < chars.count, chars[j] == "}" else { return false }
                    i = j + 1
                } else {
                    let start = i
                    while i < chars.count, word(chars[i]) { i += 1 }
                    guard i > start else { return false }
                }
            } else if word(chars[i]) && i > 0 {
                i += 1
            } else {
                return false
            }
        }
        return true
    }
}
