import Autoscale
import Exposition
import Logging
import PromQL
import Rules
import Scrape
import ScalewatchApp
import Simulator
import Testing
import TestSupport
import TSDB

/// The demo's story, run on simulated time: the surge breaches Mixtral's latency SLO for longer
/// than the shipped alert's `for`, the apply-mode policy scales it to its maximum, and once the
/// surge passes the breach clears (so the alert resolves) and the policy scales back down.
@Suite struct DemoScenarioTests {
    /// 2026-11-28 21:06:40 UTC.
    static let start: Int64 = 1_795_900_000_000

    @Test func theSurgeBreachesTheSLOLongerThanTheAlertsForAndThenPasses() async throws {
        let sim = Simulation(config: Demo.scenario(seed: 42, startMs: Self.start), startMs: Self.start)
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let config = try ScalewatchConfig(
            text: Demo.configText(simulation: sim, simulatorPort: 1, targetsFile: "/nonexistent/targets.json", dataPath: "/nonexistent",
                                  port: 0, interval: "15s"),
            file: "<demo>")
        let service = AutoscaleService(config: config.autoscaling, storage: storage, actuator: SimulatorActuator(simulation: sim),
                                       logger: Logger(label: "test"), now: { Self.start })
        let rules = try RuleFile.load(path: Fixtures.packageRoot.appendingPathComponent("alerts/model-servers.yml").path)
        let breach = try #require(rules.groups.flatMap(\.rules).first { rule in
            if case .alerting(let a) = rule { return a.alert == "ModelServerLatencySLOBreached" && a.labels["server"] == "vllm" }
            return false
        })
        let engine = Engine(querier: storage.querier())
        var ingesters: [String: ExpositionIngester] = [:]
        var breached: [Int64] = []
        var maxReplicas = 0
        for step in 1...(26 * 4) {
            let t = Self.start + Int64(step) * 15_000
            sim.advance(toMs: t)
            let app = storage.appender()
            for e in sim.endpoints where e.kind == .vllm {
                var ingester = ingesters[e.path] ?? ExpositionIngester(targetLabels: [Label("instance", e.path), Label("job", "vllm")])
                _ = try ingester.ingest(try #require(sim.exposition(path: e.path)), format: .prometheusText, timestampMs: t, into: app)
                ingesters[e.path] = ingester
            }
            app.commit()
            await service.evaluate(at: t)
            maxReplicas = max(maxReplicas, sim.replicas(of: Demo.surgingModel) ?? 0)
            guard case .vector(let v) = try engine.instant(breach.expr, atMs: t) else { continue }
            if v.contains(where: { $0.labels["model_name"] == Demo.surgingModel }) { breached.append(t) }
        }
        let minutes = breached.map { Double($0 - Self.start) / 60_000 }
        print("demo scenario: Mixtral p95 over its SLO from minute \(minutes.first ?? -1) to \(minutes.last ?? -1) (\(breached.count) of 104 evaluations)")
        // One unbroken breach, longer than the alert's 10m `for`, ending before minute 20.
        let first = try #require(breached.first), last = try #require(breached.last)
        #expect(breached.count == Int((last - first) / 15_000) + 1, "the breach is unbroken")
        #expect(last - first > 10 * 60_000 + 30_000)
        #expect(last < Self.start + 20 * 60_000)
        #expect(maxReplicas == Demo.surgingModelMaxReplicas)
        #expect(sim.replicas(of: Demo.surgingModel)! < Demo.surgingModelMaxReplicas, "scaled back down after the surge")
    }

    @Test func theSimulatorActuatorReadsBackWhatItApplies() async throws {
        let sim = Simulation(startMs: Self.start)
        let actuator = SimulatorActuator(simulation: sim)
        #expect(await actuator.currentNominalQuota(clusterQueue: "team-a-cq", flavor: "gpu-a100", resource: "nvidia.com/gpu") == 8)
        #expect(await actuator.setNominalQuota(clusterQueue: "team-a-cq", flavor: "gpu-a100", resource: "nvidia.com/gpu", to: 5) == .applied)
        #expect(await actuator.currentNominalQuota(clusterQueue: "team-a-cq", flavor: "gpu-a100", resource: "nvidia.com/gpu") == 5)
        #expect(await actuator.setNominalQuota(clusterQueue: "nope", flavor: "gpu-a100", resource: "nvidia.com/gpu", to: 5) != .applied)
        #expect(await actuator.currentResources(of: Demo.surgingModel, container: "vllm") == nil)
        #expect(await actuator.setResources(of: Demo.surgingModel, container: "vllm", cpuCores: 2, memoryBytes: 8e9) == .applied)
        let requests = await actuator.currentResources(of: Demo.surgingModel, container: "vllm")
        #expect(requests?.cpuCores == 2 && requests?.memoryBytes == 8e9)
        #expect(await actuator.setReplicas(of: Demo.surgingModel, to: 2) == .applied)
        #expect(await actuator.currentReplicas(of: Demo.surgingModel) == 2)
        // The simulated Kueue reports what was set, as the real one would.
        let body = String(decoding: try #require(sim.exposition(path: "/kueue/metrics")), as: UTF8.self)
        #expect(body.contains(#"kueue_cluster_queue_nominal_quota{cluster_queue="team-a-cq",cohort="research",flavor="gpu-a100",replica_role="leader",resource="nvidia.com/gpu"} 5"#))
    }
}
