import ConfigSupport
import Foundation
import PromQL
import TSDB

/// Rule unit tests in `promtool test rules` format: input series in the series notation, rules
/// evaluated from t = 0 at the evaluation interval, alerts compared at their `eval_time`
/// (firing ones, as promtool compares) and PromQL expressions against expected samples.
public struct RuleUnitTestFile {
    struct AlertCase {
        var evalTimeMs: Int64
        var alertname: String
        var expected: [(labels: [String: String], annotations: [String: String])]
    }

    struct ExprCase {
        var expr: String
        var evalTimeMs: Int64
        var expected: [(labels: [String: String], value: Double)]
    }

    struct TestGroup {
        var intervalMs: Int64
        var series: [(labels: [String: String], values: [Double?])]
        var externalLabels: [String: String]
        var externalURL: String
        var alerts: [AlertCase]
        var exprs: [ExprCase]
        var name: String
    }

    let path: String
    var ruleFiles: [String] = []
    var evaluationIntervalMs: Int64 = 60_000
    var groupOrder: [String] = []
    var tests: [TestGroup] = []

    /// Reads a test file; rule file paths are relative to it.
    public init(path: String) throws(ConfigError) {
        self.path = path
        guard let text = readTextFile(path) else {
            throw ConfigError(issues: [ConfigIssue(position: ConfigPosition(file: path, line: 0, column: 0), key: "", message: "cannot read test file")])
        }
        let doc = ConfigDocument(file: path, text: text)
        guard let m = doc.rootNode.mapping(allowed: ["rule_files", "evaluation_interval", "group_eval_order", "tests"]) else { try doc.check(); return }
        ruleFiles = RuleFile.expand(m["rule_files"]?.stringList ?? [], relativeTo: (path as NSString).deletingLastPathComponent)
        if let d = m["evaluation_interval"]?.duration { evaluationIntervalMs = d.milliseconds }
        groupOrder = m["group_eval_order"]?.stringList ?? []
        for (i, node) in (m["tests"]?.list ?? []).enumerated() {
            if let t = Self.testGroup(node, index: i, defaultInterval: evaluationIntervalMs) { tests.append(t) }
        }
        try doc.check()
    }

    static func testGroup(_ node: ConfigNode, index: Int, defaultInterval: Int64) -> TestGroup? {
        guard let m = node.mapping(allowed: ["interval", "input_series", "alert_rule_test", "promql_expr_test", "external_labels", "external_url", "name"]) else { return nil }
        var g = TestGroup(intervalMs: m["interval"]?.duration?.milliseconds ?? defaultInterval, series: [], externalLabels: [:],
                          externalURL: m["external_url"]?.string ?? "", alerts: [], exprs: [], name: m["name"]?.string ?? "#\(index)")
        for (k, v, _) in m["external_labels"]?.stringMap ?? [] { g.externalLabels[k] = v }
        for s in m["input_series"]?.list ?? [] {
            guard let sm = s.mapping(allowed: ["series", "values"]), let text = sm.require("series")?.string else { continue }
            guard let labels = Self.labels(text) else { sm["series"]?.fail("invalid series \"\(text)\""); continue }
            do { g.series.append((labels, try SeriesNotation.expand(sm["values"]?.string ?? ""))) } catch { sm["values"]?.fail("\(error)") }
        }
        for a in m["alert_rule_test"]?.list ?? [] {
            guard let am = a.mapping(allowed: ["eval_time", "alertname", "exp_alerts"]) else { continue }
            var c = AlertCase(evalTimeMs: am["eval_time"]?.duration?.milliseconds ?? 0, alertname: am.require("alertname")?.string ?? "", expected: [])
            for e in am["exp_alerts"]?.list ?? [] {
                guard let em = e.mapping(allowed: ["exp_labels", "exp_annotations"]) else { continue }
                var labels: [String: String] = [:], annotations: [String: String] = [:]
                for (k, v, _) in em["exp_labels"]?.stringMap ?? [] { labels[k] = v }
                for (k, v, _) in em["exp_annotations"]?.stringMap ?? [] { annotations[k] = v }
                c.expected.append((labels, annotations))
            }
            g.alerts.append(c)
        }
        for e in m["promql_expr_test"]?.list ?? [] {
            guard let em = e.mapping(allowed: ["expr", "eval_time", "exp_samples"]) else { continue }
            var c = ExprCase(expr: em.require("expr")?.string ?? "", evalTimeMs: em["eval_time"]?.duration?.milliseconds ?? 0, expected: [])
            for s in em["exp_samples"]?.list ?? [] {
                guard let sm = s.mapping(allowed: ["labels", "value"]) else { continue }
                let text = sm["labels"]?.string ?? "{}"
                guard let labels = Self.labels(text) else { sm["labels"]?.fail("invalid series \"\(text)\""); continue }
                c.expected.append((labels, sm["value"]?.double ?? .nan))
            }
            g.exprs.append(c)
        }
        return g
    }

    static func labels(_ text: String) -> [String: String]? {
        if text.trimmingCharacters(in: .whitespaces) == "{}" { return [:] }
        guard let s = try? SeriesSelector(parsing: text) else { return nil }
        var out: [String: String] = [:]
        for m in s.matchers { out[m.name] = m.value }
        return out
    }

    /// Runs every test group; returns the failures (empty when all pass).
    public func run() throws -> [String] {
        var groups: [RuleGroup] = []
        for file in ruleFiles { groups += try RuleFile.load(path: file).groups }
        if !groupOrder.isEmpty {
            groups.sort { (groupOrder.firstIndex(of: $0.name) ?? .max) < (groupOrder.firstIndex(of: $1.name) ?? .max) }
        }
        var failures: [String] = []
        for test in tests { failures += try run(test, groups) }
        return failures
    }

    func run(_ test: TestGroup, _ groups: [RuleGroup]) throws -> [String] {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for s in test.series {
            let series = app.series(for: Labels(s.labels))
            for (k, v) in s.values.enumerated() {
                if let v { try app.append(series, Int64(k) * test.intervalMs, v) }
            }
        }
        app.commit()
        var context = RuleContext(storage: storage)
        context.externalLabels = test.externalLabels
        context.externalURL = test.externalURL
        var states = groups.map { GroupState(group: $0) }
        let lastEval = max(test.alerts.map(\.evalTimeMs).max() ?? 0, test.exprs.map(\.evalTimeMs).max() ?? 0)
        var failures: [String] = []
        var pending = test.alerts.sorted { $0.evalTimeMs < $1.evalTimeMs }
        var t: Int64 = 0
        while t <= lastEval {
            for i in states.indices where t % (states[i].group.intervalMs ?? evaluationIntervalMs) == 0 {
                states[i].evaluate(at: t, context: context)
            }
            let next = t + evaluationIntervalMs
            while let c = pending.first, c.evalTimeMs < next {
                pending.removeFirst()
                if let problem = Self.compare(c, firing: states.flatMap { $0.alerting.values.flatMap { $0.active.values } }) {
                    failures.append("    alertname: \(c.alertname), time: \(Expr.duration(c.evalTimeMs)),\n\(problem)")
                }
            }
            t = next
        }
        var engine = Engine(querier: storage.querier())
        engine.lookbackMs = 5 * 60_000
        for c in test.exprs {
            do {
                let got: [(labels: [String: String], value: Double)]
                switch try engine.instant(c.expr, atMs: c.evalTimeMs) {
                case .vector(let v): got = v.map { ($0.labels, $0.value) }
                case .scalar(let v): got = [([:], v)]
                default: got = []
                }
                let want = c.expected.sorted { AlertingRuleState.key($0.labels) < AlertingRuleState.key($1.labels) }
                let have = got.sorted { AlertingRuleState.key($0.labels) < AlertingRuleState.key($1.labels) }
                let same = want.count == have.count && zip(want, have).allSatisfy {
                    $0.labels == $1.labels && ($0.value == $1.value || ($0.value.isNaN && $1.value.isNaN)
                        || abs($0.value - $1.value) <= 1e-9 * max(abs($0.value), abs($1.value)))
                }
                if !same {
                    failures.append("    expr: \(c.expr), time: \(Expr.duration(c.evalTimeMs)),\n        exp: \(Self.describe(want)),\n        got: \(Self.describe(have))")
                }
            } catch {
                failures.append("    expr: \(c.expr), time: \(Expr.duration(c.evalTimeMs)), err: \(error)")
            }
        }
        return failures.map { "  \(test.name):\n\($0)" }
    }

    /// Firing alerts of the case's name against the expected ones (labels with `alertname` added).
    static func compare(_ c: AlertCase, firing: [Alert]) -> String? {
        let got = firing.filter { $0.state == .firing && $0.labels["alertname"] == c.alertname }
            .map { (labels: $0.labels, annotations: $0.annotations) }
            .sorted { AlertingRuleState.key($0.labels) < AlertingRuleState.key($1.labels) }
        let want = c.expected.map { e in
            var labels = e.labels
            labels["alertname"] = c.alertname
            return (labels: labels, annotations: e.annotations)
        }.sorted { AlertingRuleState.key($0.labels) < AlertingRuleState.key($1.labels) }
        let same = got.count == want.count && zip(got, want).allSatisfy { $0.labels == $1.labels && $0.annotations == $1.annotations }
        if same { return nil }
        func text(_ list: [(labels: [String: String], annotations: [String: String])]) -> String {
            "[" + list.map { "{Labels:\(Labels($0.labels).braced) Annotations:\(Labels($0.annotations).braced)}" }.joined(separator: ", ") + "]"
        }
        return "        exp:\(text(want)),\n        got:\(text(got))"
    }

    static func describe(_ samples: [(labels: [String: String], value: Double)]) -> String {
        "[" + samples.map { "\(Labels($0.labels).braced) \(GoFloat.formatG($0.value))" }.joined(separator: ", ") + "]"
    }
}
