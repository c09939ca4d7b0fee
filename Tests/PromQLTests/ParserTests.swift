import Foundation
import PromQL
import Testing
import TestSupport

@Suite struct ParserTests {
    /// The query of every `eval` line in the conformance scripts, with whether it expects failure.
    static func evalQueries() throws -> [(file: String, line: Int, query: String, mayFail: Bool)] {
        let dir = Fixtures.sharedDirectory.appendingPathComponent("promqltest")
        var out: [(String, Int, String, Bool)] = []
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() where file.hasSuffix(".test") {
            let lines = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            for (n, raw) in lines.enumerated() where raw.hasPrefix("eval") {
                let line = String(raw)
                guard let query = Self.query(of: line) else { continue }
                // A failure expected on the line itself or in the `expect fail` lines below it.
                var mayFail = line.hasPrefix("eval_fail")
                var k = n + 1
                while k < lines.count, lines[k].trimmingCharacters(in: .whitespaces).hasPrefix("expect") {
                    if lines[k].contains("expect fail") { mayFail = true }
                    k += 1
                }
                out.append((file, n + 1, query, mayFail))
            }
        }
        return out
    }

    static func query(of line: String) -> String? {
        let words = line.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count > 3 else { return nil }
        if words[1] == "instant" {
            // eval instant at <t> <query>
            return words.dropFirst(4).joined(separator: " ")
        }
        if words[1] == "range" {
            // eval range from <s> to <e> step <d> <query>
            return words.dropFirst(8).joined(separator: " ")
        }
        return nil
    }

    @Test func everyConformanceQueryParses() throws {
        let cases = try Self.evalQueries()
        #expect(cases.count > 1000)
        var failures: [String] = []
        for c in cases where !c.mayFail {
            do {
                _ = try Parser.parse(c.query)
            } catch {
                failures.append("\(c.file):\(c.line): \(error.describe(in: c.query)): \(c.query)")
            }
        }
        #expect(failures.isEmpty, "\(failures.count) of \(cases.count) did not parse:\n\(failures.prefix(40).joined(separator: "\n"))")
    }

    @Test func precedenceAndAssociativityFollowPrometheus() throws {
        func shape(_ q: String) throws -> String { Self.render(try Parser.parse(q)) }
        #expect(try shape("1 + 2 * 3") == "(1 + (2 * 3))")
        #expect(try shape("2 ^ 3 ^ 2") == "(2 ^ (3 ^ 2))")
        #expect(try shape("-2 ^ 2") == "-(2 ^ 2)")
        #expect(try shape("a or b and c unless d") == "(a or ((b and c) unless d))")
        #expect(try shape("a > bool b == c") == "((a >bool b) == c)")
        #expect(try shape("a - b - c") == "((a - b) - c)")
        #expect(try shape("sum by (job) (rate(x[5m] offset -1h @ 100))") == "sum by(job) (rate(x[300000ms] offset -3600000ms @ 100))")
        #expect(try shape("topk(3, x) without (a)") == "topk without(a) (3, x)")
        #expect(try shape("x[1h:5m]") == "x[3600000ms:300000ms]")
        #expect(try shape("a * on(job) group_left(team) b") == "(a * on(job) group_left(team) b)")
    }

    @Test func errorsNameThePositionAndWhatWasExpected() {
        let cases: [(String, String)] = [
            ("sum(x", "1:6: parse error: unexpected end of input, expected \")\""),
            ("{job=~\".*\"}", "1:1: parse error: vector selector must contain at least one non-empty matcher"),
            ("foo(x)", "1:1: parse error: unknown function with name \"foo\""),
            ("x[5m] + rate(y)[1m]", "1:16: parse error: ranges only allowed for vector selectors"),
            ("a + bool b", "1:5: parse error: bool modifier can only be used on comparison operators"),
            ("x[5q]", "1:3: parse error: bad number or duration syntax: \"5q\""),
            ("a and on(x) group_left b", "1:13: parse error: no grouping allowed for \"and\" operation"),
            ("up\n  + ", "2:5: parse error: unexpected end of input, expected an expression"),
        ]
        for (query, expected) in cases {
            do {
                _ = try Parser.parse(query)
                Issue.record("\(query) parsed")
            } catch {
                #expect(error.describe(in: query).hasPrefix(expected), "\(query): \(error.describe(in: query))")
            }
        }
    }

    /// A compact rendering that shows the tree's shape.
    static func render(_ e: Expr) -> String {
        func mods(_ m: Modifiers) -> String {
            var s = ""
            if m.offsetMs != 0 { s += " offset \(m.offsetMs)ms" }
            switch m.at {
            case .time(let t): s += " @ \(t == t.rounded() ? String(Int64(t)) : String(t))"
            case .start: s += " @ start()"
            case .end: s += " @ end()"
            case nil: break
            }
            return s
        }
        switch e {
        case .number(let v): return v == v.rounded() ? String(Int64(v)) : String(v)
        case .string(let s): return "\"\(s)\""
        case .vectorSelector(let vs): return (vs.name ?? "{…}") + mods(vs.modifiers)
        case .matrixSelector(let vs, let r): return (vs.name ?? "{…}") + "[\(r)ms]" + mods(vs.modifiers)
        case .subquery(let inner, let r, let step, let m): return render(inner) + "[\(r)ms:\(step.map { "\($0)ms" } ?? "")]" + mods(m)
        case .call(let f, let args): return "\(f)(" + args.map(render).joined(separator: ", ") + ")"
        case .aggregate(let op, let x, let param, let grouping, let without):
            return "\(op) \(without ? "without" : "by")(\(grouping.joined(separator: ","))) (" + ([param].compactMap { $0 }.map(render) + [render(x)]).joined(separator: ", ") + ")"
        case .binary(let op, let l, let r, let b, let m):
            var match = ""
            if let m, !["and", "or", "unless"].contains(op) {
                match = " \(m.on ? "on" : "ignoring")(\(m.labels.joined(separator: ",")))"
                if m.card == .manyToOne { match += " group_left(\(m.include.joined(separator: ",")))" }
                if m.card == .oneToMany { match += " group_right(\(m.include.joined(separator: ",")))" }
            }
            return "(\(render(l)) \(op)\(b ? "bool" : "")\(match) \(render(r)))"
        case .unary(let op, let x): return op + render(x)
        case .paren(let x): return render(x)
        }
    }
}

@Suite struct ExprFormattingTests {
    /// Printing a parsed query and parsing the print gives the same print, for every conformance query.
    @Test func printingRoundTrips() throws {
        var checked = 0
        for file in ConformanceTests.files {
            let text = try String(contentsOf: Fixtures.sharedDirectory.appendingPathComponent("promqltest/\(file)"), encoding: .utf8)
            for line in text.split(separator: "\n") where line.hasPrefix("eval") {
                guard let c = EvalCase(header: String(line), lines: []), let expr = try? Parser.parse(c.query) else { continue }
                let printed = expr.description
                let reparsed = try Parser.parse(printed)
                #expect(reparsed.description == printed, "\(c.query) → \(printed) → \(reparsed.description)")
                checked += 1
            }
        }
        #expect(checked > 1_000)
    }

    @Test func printsAsPrometheus() throws {
        let cases = [
            "sum without(a,b)(x)": "sum without (a, b) (x)",
            "topk(3,x)by(job)": "topk by (job) (3, x)",
            "x offset -1h30m @ 100": "x @ 100.000 offset -1h30m",
            "rate(x[1d]) / ignoring(a) group_right y": "rate(x[1d]) / ignoring (a) group_right () y",
            "{__name__=\"x\",a!~\"b\\\\n\"}[90s:15s]": "{__name__=\"x\",a!~\"b\\\\n\"}[1m30s:15s]",
            "up{job=\"node\", fstype!=\"\"}": "up{fstype!=\"\",job=\"node\"}",
            "1e21 * 0.00001": "1e+21 * 1e-05",
            "1e3 + 0x10 - Inf": "1000 + 16 - +Inf",
            "a and on() b": "a and on () b",
            "x[2w]": "x[2w]",
        ]
        for (query, expected) in cases {
            let printed = try Parser.parse(query).description
            #expect(printed == expected, "\(query) printed as \(printed)")
        }
    }
}

/// `/api/v1/format_query`'s prettifier, with cases from Prometheus's own prettier tests (at its
/// real line limit of 100, so the inputs are long).
@Suite struct PrettifierTests {
    @Test func shortQueriesStayOnOneLine() throws {
        #expect(try Parser.parse("sum(rate(x[5m])) by (job)").prettified == "sum by (job) (rate(x[5m]))")
    }

    @Test func longQueriesSplitAsPrometheusDoes() throws {
        let q = #"min by (job, integration) (rate(alertmanager_notifications_failed_total{job="alertmanager", integration=~".*"}[5m]) / rate(alertmanager_notifications_total{job="alertmanager", integration="~.*"}[5m])) > 0.01"#
        #expect(try Parser.parse(q).prettified == """
              min by (job, integration) (
                  rate(alertmanager_notifications_failed_total{integration=~".*",job="alertmanager"}[5m])
                /
                  rate(alertmanager_notifications_total{integration="~.*",job="alertmanager"}[5m])
              )
            >
              0.01
            """)
        let nested = #"-histogram_quantile(0.99, sum by (le) (rate(a_very_long_metric_name_for_request_latency_seconds_bucket{job="inference", model="llama"}[5m])))"#
        #expect(try Parser.parse(nested).prettified == """
            -histogram_quantile(
              0.99,
              sum by (le) (
                rate(a_very_long_metric_name_for_request_latency_seconds_bucket{job="inference",model="llama"}[5m])
              )
            )
            """)
    }
}
