import Foundation
import Testing

/// Runs Prometheus's PromQL conformance scripts (`../shared/promqltest`) and prints, per file, the
/// cases run, passed, failed and skipped with the reason of each skip; every failure is printed.
@Suite struct ConformanceTests {
    static let files = ["aggregators.test", "at_modifier.test", "collision.test", "functions.test", "histograms.test", "limit.test",
                        "literals.test", "name_label_dropping.test", "operators.test", "range_queries.test", "selectors.test",
                        "staleness.test", "subquery.test", "trig_functions.test"]

    @Test func conformanceScripts() throws {
        var total = ScriptRunner.Outcome()
        var report: [String] = []
        for file in Self.files {
            let o = try ScriptRunner.run(file)
            let skips = o.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            report.append("\(file): run \(o.run), passed \(o.passed), failed \(o.failed.count), skipped \(o.skipped.values.reduce(0, +))"
                + (skips.isEmpty ? "" : " (\(skips))") + (o.annotationsChecked > 0 ? "; warn/info expectations checked in \(o.annotationsChecked)" : ""))
            total.run += o.run
            total.passed += o.passed
            total.failed += o.failed
            total.skipped.merge(o.skipped, uniquingKeysWith: +)
        }
        print("PromQL conformance (instant cases also re-run with @ pinned and as one-step range queries):\n" + report.joined(separator: "\n"))
        print("total: run \(total.run), passed \(total.passed), failed \(total.failed.count), skipped \(total.skipped.values.reduce(0, +))")
        if !total.failed.isEmpty { print("failures:\n" + total.failed.joined(separator: "\n")) }
        // Every runnable float case passes; the count guards against cases silently turning into skips.
        #expect(total.failed.isEmpty)
        #expect(total.run >= 905, "\(total.run) cases run")
    }
}
