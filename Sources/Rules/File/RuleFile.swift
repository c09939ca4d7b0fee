import ConfigSupport
import Foundation
import PromQL

/// A Prometheus rule file, read with `promtool check rules`' strictness: unknown fields, empty
/// or repeated group names, rules that are neither or both kinds, bad expressions, names, label
/// names and templates are all reported with the file, line and column.
public struct RuleFile: Sendable {
    public var groups: [RuleGroup] = []

    /// Reads `text`; throws every issue at once.
    public init(text: String, file: String) throws(ConfigError) {
        let doc = ConfigDocument(file: file, text: text)
        let root = doc.rootNode
        if !root.isNull, let m = root.mapping(allowed: ["groups"]) {
            var seen: [String: Int] = [:]
            for node in m["groups"]?.list ?? [] {
                guard let group = Self.group(node, file: file) else { continue }
                if let line = seen[group.name] {
                    node.fail("groupname: \"\(group.name)\" is repeated in the same file (first at line \(line))")
                    continue
                }
                seen[group.name] = node.position.line
                groups.append(group)
            }
        }
        try doc.check()
    }

    /// Reads the file at `path`.
    public static func load(path: String) throws(ConfigError) -> RuleFile {
        guard let text = readTextFile(path) else {
            throw ConfigError(issues: [ConfigIssue(position: ConfigPosition(file: path, line: 0, column: 0), key: "",
                                                   message: "cannot read rule file")])
        }
        return try RuleFile(text: text, file: path)
    }

    /// The files matching each glob of `rule_files` (relative to `directory`), sorted per glob.
    public static func expand(_ globs: [String], relativeTo directory: String) -> [String] {
        var out: [String] = []
        for pattern in globs {
            let full = pattern.hasPrefix("/") ? pattern : directory + "/" + pattern
            let dir = (full as NSString).deletingLastPathComponent, base = (full as NSString).lastPathComponent
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            out += names.filter { fnmatch(base, $0, 0) == 0 }.sorted().map { dir + "/" + $0 }.filter { !out.contains($0) }
        }
        return out
    }

    static func group(_ node: ConfigNode, file: String) -> RuleGroup? {
        guard let m = node.mapping(allowed: ["name", "interval", "limit", "query_offset", "rules", "labels"]) else { return nil }
        let name = m["name"]?.string ?? ""
        if name.isEmpty {
            node.fail("groupname must not be empty")
            return nil
        }
        var group = RuleGroup(name: name, file: file)
        if let d = m["interval"]?.duration { group.intervalMs = d.milliseconds }
        if let n = m["limit"]?.int { group.limit = n }
        if let d = m["query_offset"]?.duration { group.queryOffsetMs = d.milliseconds }
        for (i, ruleNode) in (m["rules"]?.list ?? []).enumerated() {
            if let rule = Self.rule(ruleNode, index: i) { group.rules.append(rule) }
        }
        return group
    }

    static func rule(_ node: ConfigNode, index: Int) -> Rule? {
        guard let m = node.mapping(allowed: ["record", "alert", "expr", "for", "keep_firing_for", "labels", "annotations"]) else { return nil }
        let record = m["record"]?.string, alert = m["alert"]?.string
        switch (record, alert) {
        case (nil, nil), ("", _), (_, ""):
            node.fail("one of 'record' or 'alert' must be set")
            return nil
        case (.some, .some):
            node.fail("only one of 'record' and 'alert' must be set")
            return nil
        default: break
        }
        guard let exprNode = m["expr"], let exprText = exprNode.string, !exprText.isEmpty else {
            node.fail("field 'expr' must be set in rule")
            return nil
        }
        let expr: Expr
        do { expr = try Parser.parse(exprText) } catch {
            exprNode.fail("could not parse expression: \(error.describe(in: exprText))")
            return nil
        }
        let labels = Self.labels(m["labels"])
        if let record {
            if !LabelNameRules.isValidMetricName(record) { m["record"]?.fail("invalid recording rule name: \(record)") }
            for key in ["annotations", "for", "keep_firing_for"] where m[key] != nil {
                m[key]?.fail("invalid field '\(key)' in recording rule")
            }
            return .recording(RecordingRule(record: record, expr: expr, exprText: exprText, labels: labels))
        }
        var rule = AlertingRule(alert: alert ?? "", expr: expr, exprText: exprText, labels: labels)
        rule.forMs = m["for"]?.duration?.milliseconds ?? 0
        rule.keepFiringForMs = m["keep_firing_for"]?.duration?.milliseconds ?? 0
        for (key, value, child) in m["annotations"]?.stringMap ?? [] {
            if !LabelNameRules.isValidLabelName(key) { child.fail("invalid annotation name: \(key)") }
            rule.annotations[key] = value
        }
        // Templates must parse, as Prometheus checks them when it loads the file.
        for (_, value, child) in (m["labels"]?.stringMap ?? []) + (m["annotations"]?.stringMap ?? []) {
            do { _ = try Template(value, name: "__alert_\(rule.alert)") } catch { child.fail("\(error)") }
        }
        return .alerting(rule)
    }

    static func labels(_ node: ConfigNode?) -> [String: String] {
        var out: [String: String] = [:]
        for (key, value, child) in node?.stringMap ?? [] {
            if !LabelNameRules.isValidLabelName(key) || key == "__name__" {
                child.fail("invalid label name: \(key)")
                continue
            }
            out[key] = value
        }
        return out
    }
}
