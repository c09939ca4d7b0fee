import Autoscale
import Foundation
import Logging
import PromQL
import Scrape
import ScalewatchApp
import Synchronization
import Testing
import TestSupport
import TSDB

/// Resource and quota policies from the config, evaluated on stored series: Kueue's real metric
/// shapes (the fixture), demand left out where quota cannot help, the v1beta2 output, exported
/// series, actuation in `apply` mode, and the recommenders' checkpoint surviving a restart.
@Suite struct AutoscalePoliciesTests {
    typealias FakeActuator = AutoscaleServiceTests.FakeActuator

    static func service(_ yaml: String, _ storage: Storage, _ actuator: FakeActuator? = nil) throws -> AutoscaleService {
        AutoscaleService(config: try ScalewatchConfig(text: yaml, file: "a.yml").autoscaling, storage: storage, actuator: actuator,
                         logger: Logger(label: "test"), now: { 0 })
    }

    static func json(_ service: AutoscaleService, _ policy: String) throws -> [String: Any] {
        let text = try #require(service.allRecommendations.first { $0.policy == policy }?.json)
        return try #require(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func quotaFollowsDemandThatQuotaCanHelpWithinCapacityAndStep() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        var ingester = ExpositionIngester(targetLabels: [Label("instance", "kueue:8443"), Label("job", "kueue")])
        for t: Int64 in [10_000, 1_900_000] {
            let app = storage.appender()
            _ = try ingester.ingest(try Fixtures.bytes("kueue_metrics.prom"), format: .prometheusText, timestampMs: t, into: app)
            app.commit()
        }
        let actuator = FakeActuator()
        let service = try Self.service("""
            autoscaling:
              quotas:
                - name: research-h100
                  cohort: research
                  flavor: gpu-h100
                  resource: nvidia.com/gpu
                  capacity: 16
                  max_step: 3
                  mode: apply
                  queues:
                    - {name: team-a-cq, minimum: 2}
                    - {name: team-b-cq, minimum: 1}
            """, storage, actuator)
        await service.evaluate(at: 20_000)
        // The share gives team-b 2, but a decrease waits for the 30m window (seeded with today's 4).
        var first = try #require(try Self.json(service, "research-h100")["queues"] as? [[String: Any]])
        first.sort { ($0["clusterQueue"] as! String) < ($1["clusterQueue"] as! String) }
        #expect(first.map { $0["quota"] as? Int } == [11, 4])
        #expect(actuator.calls.withLock { $0 } == ["team-a-cq gpu-h100/nvidia.com/gpu=11"])
        actuator.calls.withLock { $0 = [] }
        await service.evaluate(at: 1_910_000)
        // team-a uses 10 and waits for 32 GPUs over two flavors, 1 of its 5 stuck workloads exceeding
        // max quota: 16 × 4/5 = 12.8 count. team-b: 2 pending over two flavors, half of it stuck on
        // admission checks: 0.5. The share of 16: team-a 14, team-b 2; team-a rises by at most 3.
        let rec = try Self.json(service, "research-h100")
        let queues = try #require(rec["queues"] as? [[String: Any]])
        let a = try #require(queues.first { $0["clusterQueue"] as? String == "team-a-cq" })
        let b = try #require(queues.first { $0["clusterQueue"] as? String == "team-b-cq" })
        let aInputs = try #require((a["details"] as? [String: Any])?["inputs"] as? [String: Double])
        #expect(aInputs["pending_quota_can_help"] == 12.8 && aInputs["in_use"] == 10 && aInputs["nominal_quota"] == 8)
        let bInputs = try #require((b["details"] as? [String: Any])?["inputs"] as? [String: Double])
        #expect(bInputs["pending_quota_can_help"] == 0.5)
        #expect(a["quota"] as? Int == 11 && b["quota"] as? Int == 2)
        #expect((a["explanation"] as? String)?.contains("share 14") == true, "\(a["explanation"] ?? "")")
        // Half an hour on (Kueue still reports team-a at 8: the fake actuator changes nothing), both move.
        #expect(actuator.calls.withLock { $0 }.sorted() == ["team-a-cq gpu-h100/nvidia.com/gpu=11", "team-b-cq gpu-h100/nvidia.com/gpu=2"])
        // Proposed ClusterQueues in Kueue's shape, lendingLimit kept ≤ nominalQuota (team-b lends 2 of 2).
        let objects = try #require(rec["clusterQueues"] as? [[String: Any]])
        #expect(objects.count == 2 && objects.allSatisfy { $0["apiVersion"] as? String == "kueue.x-k8s.io/v1beta2" })
        let teamB = try #require(objects.first { ($0["metadata"] as? [String: String])?["name"] == "team-b-cq" })
        let groups = try #require((teamB["spec"] as? [String: Any])?["resourceGroups"] as? [[String: Any]])
        let resource = try #require(((groups.first?["flavors"] as? [[String: Any]])?.first?["resources"] as? [[String: String]])?.first)
        #expect(resource == ["name": "nvidia.com/gpu", "nominalQuota": "2", "lendingLimit": "2"])
        // Exported for dashboards.
        guard case .vector(let exported) = try Engine(querier: storage.querier()).instant("scalewatch_recommendation_quota", atMs: 1_910_000) else {
            Issue.record("no vector")
            return
        }
        #expect(Set(exported.map { "\($0.labels["cluster_queue"]!)=\($0.value)" }) == ["team-a-cq=11.0", "team-b-cq=2.0"])
    }

    static let resourcesConfig = """
        autoscaling:
          resources:
            - name: llama-resources
              target: llama
              container: vllm
              cpu: 'cpu_cores{model="llama"}'
              memory: 'memory_bytes{model="llama"}'
              oom_kills: 'oom_kills{model="llama"}'
              min_allowed: {cpu: 100m, memory: 1Gi}
              max_allowed: {cpu: 3, memory: 64Gi}
        """

    /// Two pods over `hours` at 15 s: CPU around 1–2 cores, memory around 6 GB, one OOM kill at 9 GB.
    static func feed(_ storage: Storage, from: Int, to: Int) {
        let app = storage.appender()
        for i in from..<to {
            let t = Int64(i) * 15_000
            for pod in ["a", "b"] {
                let labels = ["model": "llama", "pod": pod]
                try! app.append(Labels(labels.merging(["__name__": "cpu_cores"]) { $1 }), t, 1 + Double(i % 10) / 10)
                try! app.append(Labels(labels.merging(["__name__": "memory_bytes"]) { $1 }), t, pod == "a" && i == 200 ? 9e9 : 6e9 + Double(i % 5) * 1e8)
                try! app.append(Labels(labels.merging(["__name__": "oom_kills"]) { $1 }), t, pod == "a" && i == 200 ? 1 : 0)
            }
        }
        app.commit()
    }

    @Test func resourcesAreEstimatedExportedAndSurviveARestart() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let storage = try Storage(options: StorageOptions(path: dir.path, retentionMs: 1 << 50))
        defer { do { try storage.close() } catch { Issue.record("close: \(error)") } }
        Self.feed(storage, from: 1, to: 481)
        let first = try Self.service(Self.resourcesConfig, storage)
        for i in 1...480 { await first.evaluate(at: Int64(i) * 15_000) }
        let rec = try Self.json(first, "llama-resources")
        let container = try #require((rec["containers"] as? [[String: Any]])?.first)
        let cpu = try #require(container["cpuCores"] as? [String: Double])
        // p90 of 1.0–1.9 cores is about 1.9, plus 15 %: within the VPA bucket of 2.2.
        #expect(cpu["target"]! > 2.0 && cpu["target"]! < 2.4 && cpu["lower"]! < cpu["target"]! && cpu["upper"]! <= 3)
        let memory = try #require(container["memoryBytes"] as? [String: Double])
        // The OOM at 9 GB became a 10.8 GB sample in the (24 h) peak: the target covers it.
        #expect(memory["target"]! >= 9e9 * 1.2 * 1.15 * 0.95, "\(memory)")
        #expect((container["explanation"] as? String)?.hasPrefix("vllm: cpu ") == true)
        guard case .vector(let exported) = try Engine(querier: storage.querier()).instant("scalewatch_recommendation_cpu_cores", atMs: 480 * 15_000) else {
            Issue.record("no vector")
            return
        }
        #expect(Set(exported.map { $0.labels["bound"]! }) == ["lower", "target", "upper"])
        // A restart: the second service restores the histograms and says exactly what the first says.
        first.writeCheckpoint()
        let second = try Self.service(Self.resourcesConfig, storage)
        Self.feed(storage, from: 481, to: 482)
        await first.evaluate(at: 481 * 15_000)
        await second.evaluate(at: 481 * 15_000)
        let a = try #require((try Self.json(first, "llama-resources")["containers"] as? [[String: Any]])?.first?["explanation"] as? String)
        let b = try #require((try Self.json(second, "llama-resources")["containers"] as? [[String: Any]])?.first?["explanation"] as? String)
        #expect(a == b && a.contains("1 OOM kills"))
        let fresh = try Self.service(Self.resourcesConfig, try Storage(options: StorageOptions(retentionMs: 1 << 50)))
        #expect(fresh.allRecommendations.isEmpty)
    }

    @Test func forecastsAndTheirRecentErrorAreExported() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let service = try Self.service("""
            autoscaling:
              replicas:
                - name: ramp
                  target: ramp
                  lead_time: 1m
                  max_replicas: 100
                  signals: [{name: load, query: 'load', target_per_replica: 10}]
            """, storage)
        // A clean ramp of 2 per 15 s: the linear trend is exact once it has two points, so only the
        // first forecast (the last value, 8 short) is wrong, and its weight decays.
        for i in 1...40 {
            let app = storage.appender()
            try app.append(Labels(["__name__": "load"]), Int64(i) * 15_000, 100 + 2 * Double(i))
            app.commit()
            await service.evaluate(at: Int64(i) * 15_000)
        }
        let engine = Engine(querier: storage.querier())
        guard case .vector(let forecast) = try engine.instant("scalewatch_recommendation_forecast", atMs: 600_000),
              case .vector(let error) = try engine.instant("scalewatch_recommendation_forecast_error", atMs: 600_000) else {
            Issue.record("no vectors")
            return
        }
        // At step 40 (load 180) the forecast one minute (4 steps) ahead is 188.
        #expect(forecast.map(\.value) == [188] && forecast.first?.labels["signal"] == "load")
        #expect(error.count == 1 && error[0].value > 0 && error[0].value < 0.5, "\(error)")
        #expect(service.recommendations.first?.explanation.inputs["forecast_error_load"] != nil)
    }

    @Test func aReloadKeepsTheMemoryOfPoliciesThatStay() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        Self.feed(storage, from: 1, to: 41)
        let app = storage.appender()
        for i in 1...40 { try app.append(Labels(["__name__": "load"]), Int64(i) * 15_000, i <= 20 ? 100 : 20) }
        app.commit()
        let before = """
            autoscaling:
              replicas:
                - {name: web, target: web, max_replicas: 20, burst: false, signals: [{query: 'load', target_per_replica: 10}]}
                - {name: gone, target: gone, signals: [{query: 'load', target_per_replica: 10}]}
            """ + "\n" + Self.resourcesConfig.split(separator: "\n").dropFirst().joined(separator: "\n")
        let service = try Self.service(before, storage, FakeActuator())
        for i in 1...20 { await service.evaluate(at: Int64(i) * 15_000) }
        #expect(service.recommendations.map(\.policy) == ["gone", "web"])
        // The load falls to 20 at step 21; web's scale-down window (3 minutes) remembers the 10 replicas.
        service.apply(try ScalewatchConfig(text: before.replacingOccurrences(of: "max_replicas: 20", with: "max_replicas: 30")
            .replacingOccurrences(of: "    - {name: gone, target: gone, signals: [{query: 'load', target_per_replica: 10}]}\n", with: ""), file: "b.yml").autoscaling)
        #expect(service.recommendations.map(\.policy) == ["web"], "a removed policy's recommendation goes")
        await service.evaluate(at: 21 * 15_000)
        #expect(service.recommendations.first?.replicas == 10, "the HPA's window survived the reload")
        let resources = try #require((try Self.json(service, "llama-resources")["containers"] as? [[String: Any]])?.first)
        let inputs = try #require((resources["details"] as? [String: Any])?["inputs"] as? [String: Double])
        #expect(inputs["cpu_samples"] == 42, "two pods × 21 evaluations, across the reload")
    }

    @Test func perPodSignalsFollowTheHPAsRulesForMissingAndNotReadyPods() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for (pod, ready) in [("a", 1.0), ("b", 1), ("c", 0), ("d", 1)] {
            try app.append(Labels(["__name__": "kube_pod_status_ready", "condition": "true", "pod": pod]), 10_000, ready)
        }
        for (pod, load) in [("a", 5.0), ("b", 5), ("c", 100), ("other", 500)] {
            try app.append(Labels(["__name__": "load", "pod": pod]), 10_000, load)
        }
        app.commit()
        let service = try Self.service("""
            autoscaling:
              replicas:
                - name: web
                  target: web
                  burst: false
                  max_replicas: 20
                  pods: 'kube_pod_status_ready{condition="true"}'
                  signals: [{name: load, query: 'load', target_per_replica: 10, per_pod: true}]
            """, storage)
        await service.evaluate(at: 20_000)
        // Ready pods with samples average 5 against 10: a scale-down. As the HPA does, the not-ready
        // pod c is left out and the pod d without a sample counts as at target: (5 + 5 + 10) / 3
        // against 10 over 3 pods asks for 2 — not the 1 the samples alone would give, nor the 11
        // that counting c's 100 would. "other" is not one of the workload's pods.
        let expected = try ReplicaCalculator.replicas(for: .averageValue(pods: [PodSample("a", value: 5), PodSample("b", value: 5),
                                                                               PodSample("c", value: 100, ready: false), PodSample("d", value: nil)],
                                                                        target: 10), currentReplicas: 4)
        #expect(expected == 2)
        let rec = try #require(service.recommendations.first)
        #expect(rec.replicas == 2 && rec.currentReplicas == 4)
        #expect(rec.explanation.inputs["ready"] == 3 && rec.explanation.inputs["load"] == 110)
    }

    @Test func burstModeLiftsTheRatePoliciesInTheService() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        try app.append(Labels(["__name__": "load"]), 10_000, 100)
        app.commit()
        let actuator = FakeActuator()
        actuator.replicas.withLock { $0 = ["calm": 2, "bursty": 2] }
        let service = try Self.service("""
            autoscaling:
              replicas:
                - {name: calm, target: calm, mode: apply, max_replicas: 30, burst: false, signals: [{query: 'load', target_per_replica: 5}]}
                - {name: bursty, target: bursty, mode: apply, max_replicas: 30, signals: [{query: 'load', target_per_replica: 5}]}
            """, storage, actuator)
        await service.evaluate(at: 20_000)
        // 100 at 5 per replica asks for 20 from 2: the HPA's policies allow 6 (2 + 4 pods); burst
        // mode, entered because 20 is at least twice the 2 ready, goes there at once.
        #expect(actuator.calls.withLock { $0 }.sorted() == ["bursty=20", "calm=6"])
        let bursty = try #require(service.recommendations.first { $0.policy == "bursty" })
        #expect(bursty.explanation.steps.map(\.name).contains("burst") && bursty.explanation.oneLine(unit: "replicas").contains("burst: rate policies lifted"))
    }

    @Test func signalsWithoutANumberNeverStopTheAutoscaler() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let service = try Self.service("""
            autoscaling:
              replicas:
                - {name: web, target: web, min_replicas: 0, lead_time: 1m, signals: [{query: 'vector(NaN)', target_per_replica: 10}, {query: '1/0', target: 2}]}
              resources:
                - {name: size, target: web, cpu: 'vector(NaN)', memory: 'vector(+Inf)'}
              quotas:
                - {name: q, cohort: c, flavor: f, resource: nvidia.com/gpu, capacity_query: 'vector(NaN)'}
            """, storage)
        for i in 1...5 { await service.evaluate(at: Int64(i) * 15_000) }
        // The replica policy stays where it is (no signal gives a proposal); the others have nothing to say.
        #expect(service.recommendations.map(\.replicas) == [0] && service.recommendations.map(\.currentReplicas) == [0])
        #expect(service.otherRecommendations.isEmpty)
    }

    @Test func contradictoryResourceAndQuotaPoliciesAreRefused() {
        func issues(_ yaml: String) -> String {
            do {
                _ = try ScalewatchConfig(text: yaml, file: "a.yml")
                return ""
            } catch { return "\(error)" }
        }
        let fight = issues("""
            autoscaling:
              replicas:
                - {name: web, target: llama, signals: [{name: cpu, query: 'sum(rate(container_cpu_usage_seconds_total{pod=~"llama.*"}[1m]))', target_per_replica: 2}]}
              resources:
                - {name: web-size, target: llama, cpu: 'x', memory: 'y'}
            """)
        #expect(fight.contains(#"resource policy "web-size" sizes the CPU of a workload that replica policy "web" scales on a CPU signal (cpu)"#), "\(fight)")
        let quota = issues("""
            autoscaling:
              quotas:
                - {name: q, cohort: c, flavor: f, resource: nvidia.com/gpu, capacity: 4, queues: [{name: a, minimum: 3}, {name: b, minimum: 2, maximum: 1}]}
                - {name: r, cohort: c, flavor: f, resource: cpu}
              resources:
                - {name: s, target: t, cpu: 'x', memory: 'y', min_allowed: {memory: 2Gi}, max_allowed: {memory: 1Gi}}
            """)
        #expect(quota.contains("the queues' minimums add up to 5.0, above the capacity 4.0"), "\(quota)")
        #expect(quota.contains("queue b: maximum (1.0) is below minimum (2.0)"))
        #expect(quota.contains("a quota policy needs exactly one of capacity"))
        #expect(quota.contains("max_allowed memory"))
    }
}
