import Foundation
import Rules
import Testing
import TestSupport

/// The rule files shipped in `alerts/`: valid for promtool and for Scalewatch, their unit tests
/// pass under both `promtool test rules` and `scalewatch test rules`, a wrong expectation fails
/// under both, and every alert follows the mixins' conventions with a runbook section.
@Suite(.serialized) struct ShippedAlertsTests {
    static let alerts = Fixtures.packageRoot.appendingPathComponent("alerts")

    static func files(_ dir: URL, _ suffix: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(suffix) }.sorted().map { dir.appendingPathComponent($0).path }
    }

    static func run(_ executable: String, _ arguments: [String]) async throws -> (status: Int32?, output: String) {
        let process = try ChildProcess(executable, arguments)
        let status = await process.exitStatus(within: 60)
        return (status, process.output.joined(separator: "\n"))
    }

    @Test func ruleFilesPassPromtoolAndScalewatchChecks() async throws {
        let ruleFiles = try Self.files(Self.alerts, ".yml")
        #expect(ruleFiles.count == 3)
        for file in ruleFiles {
            let promtool = try await Self.run("/usr/bin/promtool", ["check", "rules", file])
            #expect(promtool.status == 0 && promtool.output.contains("SUCCESS") && !promtool.output.contains("FAILED"), "\(promtool.output)")
            let ours = try await Self.run(scalewatchExecutable, ["check", "rules", file])
            #expect(ours.status == 0 && ours.output.contains("SUCCESS"), "\(ours.output)")
        }
    }

    @Test func unitTestsPassUnderBothAndAWrongExpectationFailsUnderBoth() async throws {
        let tests = try Self.files(Self.alerts.appendingPathComponent("tests"), "_test.yml")
        #expect(tests.count == 3)
        for file in tests {
            let promtool = try await Self.run("/usr/bin/promtool", ["test", "rules", file])
            #expect(promtool.status == 0 && promtool.output.contains("SUCCESS"), "\(promtool.output)")
            let ours = try await Self.run(scalewatchExecutable, ["test", "rules", file])
            #expect(ours.status == 0 && ours.output.contains("SUCCESS"), "\(ours.output)")
        }
        // A copy whose expectation is wrong by one workload fails in both, naming the alert.
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let original = try String(contentsOfFile: Self.alerts.appendingPathComponent("tests/kueue_test.yml").path, encoding: .utf8)
        let broken = original.replacingOccurrences(of: "holds 2 inadmissible", with: "holds 3 inadmissible")
            .replacingOccurrences(of: "../kueue.yml", with: Self.alerts.appendingPathComponent("kueue.yml").path)
        #expect(broken != original)
        let path = dir.path + "/broken_test.yml"
        try broken.write(toFile: path, atomically: true, encoding: .utf8)
        let promtool = try await Self.run("/usr/bin/promtool", ["test", "rules", path])
        #expect(promtool.status == 1 && promtool.output.contains("KueueWorkloadsInadmissible"), "\(promtool.output)")
        let ours = try await Self.run(scalewatchExecutable, ["test", "rules", path])
        #expect(ours.status == 1 && ours.output.contains("alertname: KueueWorkloadsInadmissible, time: 31m"), "\(ours.output)")
    }

    @Test func alertsFollowTheConventions() throws {
        let runbooks = try String(contentsOfFile: Self.alerts.appendingPathComponent("runbooks.md").path, encoding: .utf8)
        let sections = Set(runbooks.split(separator: "\n").filter { $0.hasPrefix("## ") }.map { $0.dropFirst(3).lowercased() })
        let prefixes = ["kueue.yml": "Kueue", "model-servers.yml": "ModelServer", "scalewatch.yml": "Scalewatch"]
        var alerts = 0
        for file in try Self.files(Self.alerts, ".yml") {
            let prefix = try #require(prefixes[(file as NSString).lastPathComponent])
            for group in try RuleFile.load(path: file).groups {
                for case .alerting(let a) in group.rules {
                    alerts += 1
                    #expect(a.alert.hasPrefix(prefix) && a.alert.first!.isUppercase && !a.alert.contains("_"), "\(a.alert)")
                    #expect(["critical", "warning", "info"].contains(a.labels["severity"] ?? ""), "\(a.alert) severity")
                    let summary = a.annotations["summary"] ?? ""
                    #expect(summary.hasSuffix(".") && !summary.contains("{{"), "\(a.alert) summary must be static and end with a period")
                    #expect((a.annotations["description"] ?? "").contains("{{"), "\(a.alert) description must be templated")
                    let anchor = (a.annotations["runbook_url"] ?? "").split(separator: "#").last.map(String.init) ?? ""
                    #expect(anchor == a.alert.lowercased() && sections.contains(anchor), "\(a.alert) runbook")
                }
            }
        }
        #expect(alerts >= 20)
    }
}
