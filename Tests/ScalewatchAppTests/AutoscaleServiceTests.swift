import Autoscale
import Logging
import PromQL
import ScalewatchApp
import Synchronization
import Testing
import TSDB

/// Replica policies from the config, evaluated on stored signals: recommendations exported as
/// series, explained, and applied through the actuator only in `apply` mode.
@Suite struct AutoscaleServiceTests {
    final class FakeActuator: Actuator {
        let replicas = Mutex<[String: Int]>(["llama": 2, "mixtral": 1])
        let calls = Mutex<[String]>([])
        func currentReplicas(of target: String) async -> Int? { replicas.withLock { $0[target] } }
        func setReplicas(of target: String, to n: Int) async -> ActuationResult {
            calls.withLock { $0.append("\(target)=\(n)") }
            replicas.withLock { $0[target] = n }
            return .applied
        }
        func currentResources(of target: String, container: String) async -> (cpuCores: Double, memoryBytes: Double)? { nil }
        func currentNominalQuota(clusterQueue: String, flavor: String, resource: String) async -> Double? { nil }
        func setResources(of target: String, container: String, cpuCores: Double, memoryBytes: Double) async -> ActuationResult {
            calls.withLock { $0.append("\(target)/\(container) cpu=\(cpuCores)") }
            return .applied
        }
        func setNominalQuota(clusterQueue: String, flavor: String, resource: String, to value: Double) async -> ActuationResult {
            calls.withLock { $0.append("\(clusterQueue) \(flavor)/\(resource)=\(Int(value))") }
            return .applied
        }
    }

    static let config = """
        autoscaling:
          interval: 15s
          replicas:
            - name: llama
              target: llama
              mode: apply
              max_replicas: 8
              burst: false
              signals:
                - {name: in_flight, query: 'sum(in_flight{model="llama"})', target_per_replica: 10}
                - {name: p95, query: 'p95{model="llama"}', target: 20}
            - name: mixtral
              target: mixtral
              mode: dry-run
              signals:
                - {name: in_flight, query: 'sum(in_flight{model="mixtral"})', target_per_replica: 10}
        """

    @Test func policiesRecommendExportAndApply() async throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        try app.append(Labels(["__name__": "in_flight", "model": "llama", "pod": "a"]), 10_000, 22)
        try app.append(Labels(["__name__": "in_flight", "model": "llama", "pod": "b"]), 10_000, 18)
        try app.append(Labels(["__name__": "p95", "model": "llama"]), 10_000, 25)
        try app.append(Labels(["__name__": "in_flight", "model": "mixtral"]), 10_000, 35)
        app.commit()
        let actuator = FakeActuator()
        let service = AutoscaleService(config: try ScalewatchConfig(text: Self.config, file: "a.yml").autoscaling, storage: storage,
                                       actuator: actuator, logger: Logger(label: "test"), now: { 20_000 })
        await service.evaluate(at: 20_000)
        // llama: 40 in flight at 10 per replica → 4; p95 25 against 20 from 2 → 3; the larger, applied.
        #expect(actuator.calls.withLock { $0 } == ["llama=4"])
        let recs = service.recommendations
        #expect(recs.map(\.policy) == ["llama", "mixtral"])
        #expect(recs[0].replicas == 4 && recs[0].applied == "applied 2 → 4")
        #expect(recs[0].explanation.oneLine(unit: "replicas").hasPrefix("4 replicas: in_flight 40, p95 25, ready 2, replicas 2 → hpa 4"))
        // mixtral is dry-run: said, not done.
        #expect(recs[1].replicas == 4 && recs[1].applied == "dry-run: would set 1 → 4")
        let engine = Engine(querier: storage.querier())
        guard case .vector(let exported) = try engine.instant("scalewatch_recommendation_replicas", atMs: 20_000) else {
            Issue.record("no vector")
            return
        }
        #expect(Set(exported.map { "\($0.labels["policy"]!)=\($0.value)" }) == ["llama=4.0", "mixtral=4.0"])
        #expect(recs[0].json.contains(#""action":"applied 2 → 4""#) && recs[0].json.contains(#""details":{"inputs":"#))
    }

    @Test func contradictoryPoliciesAreRefused() {
        #expect {
            _ = try ScalewatchConfig(text: """
                autoscaling:
                  replicas:
                    - {name: a, target: x, min_replicas: 5, max_replicas: 2, signals: [{query: up, target: 1}]}
                    - {name: b, target: y}
                    - {name: c, target: z, mode: yolo, signals: [{query: up, target: 1, target_per_replica: 2}]}
                    - {name: a, target: w, signals: [{query: 'sum(', target: 1}]}
                  resources: []
                """, file: "bad.yml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("min_replicas (5) is above max_replicas (2)") && text.contains("needs at least one signal")
                && text.contains("mode must be recommend, dry-run or apply") && text.contains("exactly one of target_per_replica")
                && text.contains(#"policy name "a" is used twice"#) && text.contains("could not parse query")
        }
    }
}
