import Foundation
import ScalewatchApp
import Simulator
import Testing
import TestSupport
import TSDB

/// `scalewatch backtest`: the workload model (start-up delay, capacity per replica), Scalewatch's
/// default policy against the HPA's defaults on the simulator's trace, resource slack and OOM
/// risk, and the command's table and JSON.
@Suite struct BacktestTests {
    /// 2026-11-28 00:00 UTC.
    static let day: Int64 = 1_795_910_400_000

    /// The shipped example: Scalewatch's default replica policy for the simulator's two vLLM models.
    static var policies: String {
        get throws { try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("examples/backtest.yml"), encoding: .utf8) }
    }

    @Test func newReplicasServeAfterTheirStartupTime() {
        // 40 in flight, then 100 from minute 5: two replicas serving 50 each (over 40) breach until more are ready.
        let steps = (0..<80).map { Int64($0) * 15_000 }
        let loads: [Double?] = steps.map { $0 < 300_000 ? 40 : 100 }
        let model = ReplicaReplay.Model(startupMs: 120_000, capacityPerReplica: 40, initialReplicas: 2)
        let out = ReplicaReplay.run(strategy: "test", steps: steps, loads: loads, model: model) { _, load, _, _ in Int((load / 25).rounded(.up)) }
        // Scaled at minute 5 to 4 replicas, ready at minute 7: breached from 5:00 to 6:45.
        #expect(out.actions == 1 && out.peakReplicas == 4)
        #expect(out.breachMinutes == 2)
        let expectedHours: Double = Double(20 * 2 + 60 * 4) * 15 / 3600
        #expect(abs(out.replicaHours - expectedHours) < 1e-9)
    }

    @Test func theDefaultPolicyUsesFewerReplicaHoursThanHPADefaultsWithNoMoreBreaches() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        try Backtest.writeSimulatorTrace(.standard(seed: 42), into: storage, fromMs: Self.day - 3_600_000, toMs: Self.day + 2 * 86_400_000, stepMs: 15_000)
        let config = try ScalewatchConfig(text: try Self.policies, file: "policies.yml").autoscaling
        var fractions: [Double] = []
        let report = try Backtest.run(config, storage: storage, options: Backtest.Options(fromMs: Self.day, toMs: Self.day + 2 * 86_400_000)) {
            fractions.append($0)
        }
        #expect(fractions == [1.0 / 2, 1])
        print(report.table)
        let llama = try #require(report.replicas.first { $0.policy == "llama" })
        #expect(llama.hpaDefaults.breachMinutes > 0, "the trace has bursts beyond what a replica serves")
        #expect(llama.scalewatch.replicaHours < llama.hpaDefaults.replicaHours)
        #expect(llama.scalewatch.breachMinutes <= llama.hpaDefaults.breachMinutes)
        #expect(llama.skippedSignals == ["p95_seconds"])
        let mixtral = try #require(report.replicas.first { $0.policy == "mixtral" })
        #expect(mixtral.scalewatch.replicaHours <= mixtral.hpaDefaults.replicaHours)
        #expect(mixtral.scalewatch.breachMinutes <= mixtral.hpaDefaults.breachMinutes)
    }

    @Test func resourcePoliciesReportSlackAndOOMRisk() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        AutoscalePoliciesTests.feed(storage, from: 1, to: 481)
        let config = try ScalewatchConfig(text: AutoscalePoliciesTests.resourcesConfig, file: "r.yml").autoscaling
        let report = try Backtest.run(config, storage: storage, options: Backtest.Options(fromMs: 15_000, toMs: 480 * 15_000))
        let r = try #require(report.resources.first)
        #expect(r.policy == "llama-resources" && r.container == "vllm")
        // Requests sized at p90 plus a margin sit above the average use …
        #expect(r.meanCPUSlackCores > 0 && r.meanMemorySlackBytes > 0)
        // … and the 9 GB spike came before any history covered it: one step at OOM risk.
        #expect(r.oomRiskMinutes == 0.25)
        #expect(report.json.contains(#""oomRiskMinutes":0.25"#))
    }

    @Test func theCommandPrintsATableAndJSON() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/policies.yml"
        try (try Self.policies).replacingOccurrences(of: "path: data/", with: "path: \(dir.path)/data").write(toFile: path, atomically: true, encoding: .utf8)
        let range = ["--from", "\(Self.day / 1000)", "--to", "\(Self.day / 1000 + 6 * 3600)"]
        let table = try ChildProcess(scalewatchExecutable, ["backtest", "--config", path, "--simulate"] + range)
        #expect(await table.exitStatus(within: 60) == 0)
        let text = table.output.joined(separator: "\n")
        #expect(text.contains("Backtest over 6.0 h at 15s steps") && text.contains("hpa-defaults") && text.contains("replica-hours"), "\(text)")
        let json = try ChildProcess(scalewatchExecutable, ["backtest", "--config", path, "--simulate", "--json"] + range)
        #expect(await json.exitStatus(within: 60) == 0)
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.output.joined(separator: "\n").utf8)) as? [String: Any])
        let replicas = try #require(object["replicas"] as? [[String: Any]])
        #expect(replicas.count == 2 && (replicas[0]["scalewatch"] as? [String: Any])?["replicaHours"] is Double)
        let bad = try ChildProcess(scalewatchExecutable, ["backtest", "--config", path, "--simulate", "--from", "10", "--to", "5"])
        #expect(await bad.exitStatus(within: 60) == 1)
        #expect(bad.output.joined().contains("--to must be after --from"))
        let huge = try ChildProcess(scalewatchExecutable, ["backtest", "--config", path, "--simulate", "--from", "0", "--to", "\(Self.day / 1000)", "--step", "1s"])
        #expect(await huge.exitStatus(within: 60) == 1)
        #expect(huge.output.joined().contains("steps of 1s from --from to --to; at most 6307200"), "\(huge.output)")
    }

    @Test func historyComesFromAnOpenMetricsFileOrACopyOfTheStore() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        // Six hours of a load that doubles for an hour in the middle, every 15 s.
        var lines = ["# TYPE load gauge"]
        let start = Self.day / 1000
        for i in 0..<1440 { lines.append("load \(i >= 600 && i < 840 ? 200 : 100) \(start + Int64(i) * 15)") }
        lines.append("# EOF")
        let history = dir.path + "/history.om"
        try (lines.joined(separator: "\n") + "\n").write(toFile: history, atomically: true, encoding: .utf8)
        let config = dir.path + "/policies.yml"
        try """
            storage: {path: \(dir.path)/data}
            autoscaling:
              replicas:
                - {name: web, target: web, max_replicas: 40, signals: [{name: load, query: 'sum(load)', target_per_replica: 10}]}
            """.write(toFile: config, atomically: true, encoding: .utf8)
        let range = ["--from", "\(start)", "--to", "\(start + 6 * 3600 - 15)", "--json"]
        let fromFile = try ChildProcess(scalewatchExecutable, ["backtest", "--config", config, "--import", history] + range)
        #expect(await fromFile.exitStatus(within: 60) == 0)
        // Into the store, then from it: the same answer, and the store is left as it was.
        let imported = try ChildProcess(scalewatchExecutable, ["import", "openmetrics", history, "--config", config])
        #expect(await imported.exitStatus(within: 60) == 0)
        let before = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/data").sorted()
        let fromStore = try ChildProcess(scalewatchExecutable, ["backtest", "--config", config] + range)
        #expect(await fromStore.exitStatus(within: 60) == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/data").sorted() == before)
        let a = fromFile.output.joined(separator: "\n"), b = fromStore.output.joined(separator: "\n")
        #expect(a == b && a.contains(#""policy":"web""#), "\(a)\n\(b)")
        let object = try #require(JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any])
        let web = try #require((object["replicas"] as? [[String: Any]])?.first)
        // 10 replicas, 20 during the doubling: both strategies need about 6 × 10 + 1 × 10 replica-hours.
        let hours = try #require((web["hpaDefaults"] as? [String: Any])?["replicaHours"] as? Double)
        #expect(hours > 69 && hours < 72, "\(hours)")
    }
}
