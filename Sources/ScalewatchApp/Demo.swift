import ConfigSupport
import Foundation
import Logging
import Prometheus
import Rules
import Scrape
import Server
import Simulator
import Synchronization
import TSDB

/// `scalewatch demo`: the simulator and the controller in one process, on an embedded config
/// that scrapes the simulated Kueue controller and every model-server replica (found through a
/// file_sd file the demo keeps current). The store is in memory.
public enum Demo {
    public struct Options: Sendable {
        public var port = 0
        public var seed: UInt64 = 42
        public var speed = 1.0
        public var scrapeInterval = "5s"
        public var statusEvery: Duration = .seconds(5)
        public init() {}
    }

    public static func run(_ options: Options, registry: PrometheusCollectorRegistry, logger: Logger,
                           print: @escaping @Sendable (String) -> Void) async throws {
        let start = wallClockMilliseconds()
        let simulation = Simulation(config: scenario(seed: options.seed, startMs: start), startMs: start)
        let clock = SimulationClock(startMs: start, speed: options.speed, wallNow: { wallClockMilliseconds() })
        let simulator = try await SimulatorServer.start(simulation: simulation, clock: clock, logger: logger)
        let directory = NSTemporaryDirectory() + "scalewatch-demo-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let targetsFile = directory + "/model-servers.json"
        try writeTargets(simulation, port: simulator.port, to: targetsFile)
        let config = try ScalewatchConfig(
            text: configText(simulation: simulation, simulatorPort: simulator.port, targetsFile: targetsFile, dataPath: directory + "/data",
                             port: options.port, interval: options.scrapeInterval),
            file: "<embedded demo config>")
        let running = Mutex<Controller?>(nil)
        let status = Task {
            var previous = (t: ContinuousClock.now, samples: 0)
            var alertStates: [String: AlertState] = [:]
            while !Task.isCancelled {
                do { try await Task.sleep(for: options.statusEvery) } catch { return }
                do { try writeTargets(simulation, port: simulator.port, to: targetsFile) } catch { logger.warning("demo targets: \(error)") }
                guard let controller = running.withLock({ $0 }), let storage = controller.storage else { continue }
                let now = ContinuousClock.now
                let samples = storage.head.samplesAppended
                print(StatusLine.render(storage: storage, pools: controller.scrapePools,
                                        samplesPerSecond: Double(samples - previous.samples) / seconds(now - previous.t),
                                        alerts: controller.ruleGroups))
                previous = (now, samples)
                for line in StatusLine.transitions(controller.ruleGroups, since: &alertStates) { print(line) }
            }
        }
        defer { status.cancel() }
        try await ScalewatchRunner.run(
            config: config, configPath: nil, registry: registry, logger: logger,
            actuator: SimulatorActuator(simulation: simulation),
            onDecision: { decision in
                if decision.replicas != decision.currentReplicas { print("SCALE \(decision.oneLine)") }
            },
            onAction: { line in print(line) },
            onListening: { url in
                print("Scalewatch demo: API and /federate at \(url)   (simulator at http://127.0.0.1:\(simulator.port)/targets)")
                print(scenarioNote)
                print("Try: curl -s '\(url)/federate?match[]=up'   ·   \(url)/api/v1/recommendations   ·   \(url)/api/v1/alerts   ·   Ctrl-C to stop")
            },
            onReady: { controller in running.withLock { $0 = controller } })
        await simulator.stop()
    }

    /// The model whose traffic surges past what its policy may scale to.
    public static let surgingModel = "mistralai/Mixtral-8x7B-Instruct"
    public static let surgingModelMaxReplicas = 3

    /// The standard world plus the demo's story: 30 s in, Mixtral's traffic surges by 20
    /// requests/s for 9 minutes, more than its 3-replica GPU budget serves, so its p95
    /// latency breaches the 20 s SLO long enough for the alert to fire, then recovers.
    public static func scenario(seed: UInt64, startMs: Int64) -> SimulationConfig {
        var config = SimulationConfig.standard(seed: seed)
        let start = Double(startMs) / 1000
        config.surges = [TrafficSurge(model: surgingModel, start: start + 30, end: start + 30 + 9 * 60, extraRate: 20)]
        return config
    }

    static let scenarioNote = """
        Scenario: from 0:30 to 9:30 Mixtral's traffic surges past its 3-replica budget. Watch SCALE \
        lines as the autoscaler reaches its maximum, ModelServerLatencySLOBreached go pending (~1 min), \
        firing (~11 min, after its 10m 'for') and resolved (~15 min, once the 5m rate window is past the surge).
        """

    static func writeTargets(_ simulation: Simulation, port: Int, to path: String) throws {
        let groups = SimulatorRoutes.targetGroups(simulation, host: "127.0.0.1:\(port)").filter {
            (($0["labels"] as? [String: String])?["simulated"] ?? "") != "kueue"
        }
        let data = try JSONSerialization.data(withJSONObject: groups, options: [.sortedKeys, .prettyPrinted])
        let temporary = path + ".tmp"
        try data.write(to: URL(fileURLWithPath: temporary))
        _ = rename(temporary, path)
    }

    /// The demo's config: scrapes, the shipped rules, and apply-mode replica policies.
    public static func configText(simulation: Simulation, simulatorPort: Int, targetsFile: String, dataPath: String, port: Int, interval: String) -> String {
        // The shipped alerts, when run from the repository (as `swift run scalewatch demo` is).
        let alerts = FileManager.default.currentDirectoryPath + "/alerts"
        let ruleFiles = FileManager.default.fileExists(atPath: alerts + "/kueue.yml") ? "rule_files: ['\(alerts)/*.yml']" : ""
        return """
        global:
          scrape_interval: \(interval)
          external_labels: {cluster: demo}
          evaluation_interval: 15s
        storage:
          path: \(dataPath)
          retention: 6h
        \(ruleFiles)
        web:
          listen_address: 127.0.0.1:\(port)
        # The vLLM models scale on their load and latency, applied to the simulated replicas.
        autoscaling:
          interval: 15s
          replicas:
        \(simulation.config.models.filter { $0.kind == .vllm }.map { m in """
            - name: \(SimulatedEndpoint.slug(m.name))
              target: \(m.name)
              mode: apply
              min_replicas: 1
              max_replicas: \(m.name == surgingModel ? surgingModelMaxReplicas : 8)
              lead_time: 2m
              signals:
                - name: requests_in_flight
                  preset: vllm_requests_in_flight
                  match: 'model_name="\(m.name)"'
                  target_per_replica: \(Int(m.concurrency / 2))
                - name: p95_latency_seconds
                  preset: vllm_p95_latency_seconds
                  match: 'model_name="\(m.name)"'
                  target: 20
                  scale_down: false
        """ }.joined(separator: "\n"))
          # The vLLM containers' CPU and memory, sized as VPA would (recommend only).
          resources:
        \(simulation.config.models.filter { $0.kind == .vllm }.map { m in """
            - name: \(SimulatedEndpoint.slug(m.name))-resources
              target: \(m.name)
              container: vllm
              cpu: 'rate(process_cpu_seconds_total{job="vllm",pod=~"\(SimulatedEndpoint.slug(m.name))-[0-9]+"}[1m])'
              memory: 'process_resident_memory_bytes{job="vllm",pod=~"\(SimulatedEndpoint.slug(m.name))-[0-9]+"}'
              min_allowed: {cpu: 500m, memory: 4Gi}
        """ }.joined(separator: "\n"))
          # The research cohort's A100 GPUs (12: 8 + 4 nominal today) follow the queues' demand.
          quotas:
            - name: research-a100-gpus
              cohort: research
              flavor: gpu-a100
              resource: nvidia.com/gpu
              capacity: 12
              mode: apply
              stabilization_window: 10m
              max_step: 2
              queues:
                - {name: team-a-cq, minimum: 2, weight: 2}
                - {name: team-b-cq, minimum: 2}
        scrape_configs:
          - job_name: kueue
            metrics_path: /kueue/metrics
            static_configs: [{targets: ['127.0.0.1:\(simulatorPort)']}]
          - job_name: model-servers
            file_sd_configs: [{files: ['\(targetsFile)'], refresh_interval: 10s}]
            relabel_configs:
              - {source_labels: [pod], target_label: instance}
              - {source_labels: [simulated], target_label: job}
              - {regex: simulated|model_name, action: labeldrop}
        """
    }

    static func seconds(_ d: Duration) -> Double {
        max(1e-9, Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
