import Foundation
import PromQL
import TestSupport
import TSDB

/// Runs one PromQL test script the way Prometheus's own runner does: loads, clears, and every
/// eval — an instant eval also re-run with `@` pinned at other times and as a range query whose
/// middle step must give the same result.
struct ScriptRunner {
    struct Outcome {
        var run = 0
        var passed = 0
        var failed: [String] = []
        var skipped: [String: Int] = [:]
        /// Cases whose warn/info expectations were checked.
        var annotationsChecked = 0
    }

    let file: String
    private var storage: Storage
    /// Series loaded with native-histogram values: queries selecting them are skipped.
    private var nativeSeries: [[String: String]] = []
    private(set) var outcome = Outcome()

    init(file: String) throws {
        self.file = file
        storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
    }

    static func run(_ file: String) throws -> Outcome {
        let text = try String(contentsOf: Fixtures.sharedDirectory.appendingPathComponent("promqltest/\(file)"), encoding: .utf8)
        var runner = try ScriptRunner(file: file)
        try runner.run(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
        return runner.outcome
    }

    mutating func run(_ lines: [String]) throws {
        var i = 0
        while i < lines.count {
            let line = lines[i].trimmingCharacters(in: .whitespaces)
            i += 1
            var block: [String] = []
            while i < lines.count, !lines[i].trimmingCharacters(in: .whitespaces).isEmpty, lines[i].first == " " || lines[i].first == "\t" || lines[i].hasPrefix("expect") {
                block.append(lines[i].trimmingCharacters(in: .whitespaces))
                i += 1
            }
            if line == "clear" {
                storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
                nativeSeries = []
            } else if line.hasPrefix("load") {
                load(header: line, block)
            } else if line.hasPrefix("eval"), let c = EvalCase(header: line, lines: block) {
                evaluate(c)
            }
        }
    }

    /// `load <interval>`: a later line for the same series replaces an earlier one, as in the reference.
    mutating func load(header: String, _ block: [String]) {
        let withNHCB = header.hasPrefix("load_with_nhcb")
        let interval = ScriptValues.milliseconds(header.split(separator: " ").last ?? "") ?? 0
        var order: [String] = []
        var defs: [String: ([String: String], [Double?])] = [:]
        for line in block where !line.hasPrefix("#") {
            let (text, tokens) = ScriptValues.splitSeries(Substring(line))
            guard let labels = ScriptValues.labels(text) else { continue }
            if withNHCB, let name = labels["__name__"], name.hasSuffix("_bucket") {
                var synthesized = labels
                synthesized["__name__"] = String(name.dropLast("_bucket".count))
                synthesized["le"] = nil
                nativeSeries.append(synthesized)
            }
            guard let values = ScriptValues.expand(tokens) else {
                nativeSeries.append(labels)
                continue
            }
            let key = labels.signatureForTest
            if defs[key] == nil { order.append(key) }
            defs[key] = (labels, values)
        }
        let app = storage.appender()
        for key in order {
            let (labels, values) = defs[key]!
            let s = app.series(for: Labels(labels))
            for (k, v) in values.enumerated() {
                guard let v else { continue }
                do { try app.append(s, Int64(k) * interval, v) } catch { outcome.failed.append("\(file): load \(labels): \(error)") }
            }
        }
        app.commit()
    }

    func skipReason(_ c: EvalCase, _ expr: Expr?) -> String? {
        if c.rows.contains(where: { $0.contains("{{") }) { return "native histograms in the expected result" }
        guard let expr else { return nil }
        if AtPinning.uses(expr, ["histogram_avg", "histogram_count", "histogram_sum", "histogram_fraction", "histogram_stddev", "histogram_stdvar"]) {
            return "native-histogram functions"
        }
        if AtPinning.uses(expr, ["info"]) { return "experimental function info() (needs target-info metadata)" }
        let selectsNative = AtPinning.selectors(expr).contains { vs in
            nativeSeries.contains { series in vs.matchers.allSatisfy { $0.matches(series[$0.name] ?? "") } }
        }
        return selectsNative ? "selects native-histogram samples" : nil
    }

    mutating func evaluate(_ c: EvalCase) {
        let expr = try? Parser.parse(c.query)
        if let reason = skipReason(c, expr) {
            outcome.skipped[reason, default: 0] += 1
            return
        }
        outcome.run += 1
        if c.warn != .unspecified || c.info != .unspecified { outcome.annotationsChecked += 1 }
        let place = "\(file): \(c.header)"
        guard let expr else {
            if c.expectFail { outcome.passed += 1 } else { outcome.failed.append("\(place): does not parse") }
            return
        }
        var engine = Engine(querier: storage.querier())
        engine.delayedNameRemoval = true
        if let problem = check(c, expr, engine) {
            outcome.failed.append("\(place): \(problem)")
        } else {
            outcome.passed += 1
        }
    }

    /// The case's warnings and infos against what it expects (messages compared without the
    /// position suffix Prometheus appends).
    static func annotationProblem(_ c: EvalCase, _ result: QueryResult) -> String? {
        func check(_ e: EvalCase.Expectation, _ got: [String], _ kind: String) -> String? {
            switch e {
            case .unspecified: return nil
            case .none: return got.isEmpty ? nil : "unexpected \(kind): \(got)"
            case .some(let message):
                guard !got.isEmpty else { return "expected a \(kind), got none" }
                guard let message else { return nil }
                let bare = message.replacingOccurrences(of: #" \(\d+:\d+\)$"#, with: "", options: .regularExpression)
                return got.contains(bare) ? nil : "expected \(kind) \"\(bare)\", got \(got)"
            }
        }
        return check(c.warn, result.warnings, "warning") ?? check(c.info, result.infos, "info")
    }

    /// The case and, for an instant query, its `@`-pinned and one-step-range re-runs.
    func check(_ c: EvalCase, _ expr: Expr, _ engine: Engine) -> String? {
        guard case .instant(let t) = c.timing else {
            guard case .range(let s, let e, let d) = c.timing else { return nil }
            if !c.expectFail, let result = try? engine.rangeResult(expr, startMs: s, endMs: e, stepMs: d),
               let problem = Self.annotationProblem(c, result) { return problem }
            return outcome(c) { try engine.range(expr, startMs: s, endMs: e, stepMs: d) }
        }
        if !c.expectFail, let result = try? engine.instantResult(expr, atMs: t), let problem = Self.annotationProblem(c, result) { return problem }
        if let problem = instantProblem(c, expr, engine, at: t, variant: "") { return problem }
        if c.expectFail { return nil }
        let seconds = Double(t) / 1000
        guard let pinned = AtPinning.pinned(expr, at: seconds) else { return nil }
        let times: [Int64] = t == 0 ? [-1_000_000, 0, 1_000_000] : [-10 * t, 0, t / 5, t, 10 * t]
        for other in times {
            if let problem = instantProblem(c, pinned, engine, at: other, variant: " (re-run with @ \(seconds) at \(Double(other) / 1000))") {
                return problem
            }
        }
        return nil
    }

    func instantProblem(_ c: EvalCase, _ expr: Expr, _ engine: Engine, at t: Int64, variant: String) -> String? {
        if let problem = outcome(c, { try engine.instant(expr, atMs: t) }) { return problem + variant }
        // Strings and range vectors have no range form; start(), end(), range() and step() are the
        // query's own bounds, which the range form changes by design.
        if c.expectFail || c.ordered || c.rangeVector != nil || c.expectedString != nil { return nil }
        if AtPinning.uses(expr, ["start", "end", "range", "step"]) { return nil }
        // As a range query from t-1m to t+1m: the middle step must equal the instant result.
        let result: Value
        do { result = try engine.range(expr, startMs: t - 60_000, endMs: t + 60_000, stepMs: 60_000) } catch {
            return "range re-run failed\(variant): \(error)"
        }
        guard case .matrix(let series) = result else { return "range re-run gave no matrix\(variant)" }
        let middle = series.compactMap { s in s.points.first { $0.t == t }.map { VectorSample(labels: s.labels, value: $0.v) } }
        if case .scalar = try? engine.instant(expr, atMs: t) {
            return middle.count == 1 ? ResultCheck.problem(.scalar(middle[0].value), c).map { "range re-run\(variant): \($0)" } : "range re-run\(variant): no scalar"
        }
        return ResultCheck.problem(.vector(middle), c).map { "range re-run\(variant): \($0)" }
    }

    func outcome(_ c: EvalCase, _ evaluate: () throws -> Value) -> String? {
        do {
            let result = try evaluate()
            if c.expectFail { return "expected a failure, got a result" }
            return ResultCheck.problem(result, c)
        } catch {
            if !c.expectFail { return "\(error)" }
            if let message = c.failMessage, !"\(error)".contains(message) { return "failed with \"\(error)\", expected \"\(message)\"" }
            return nil
        }
    }
}
