import Exposition
import Simulator
import Testing
import TestSupport

@Suite struct SimulationTests {
    static let start: Int64 = 1_795_900_000_000

    func families(_ body: [UInt8]) throws -> [String: MetricType] {
        var parser = ExpositionParser(bytes: body, format: .prometheusText)
        var out: [String: MetricType] = [:]
        while let entry = try parser.next() {
            if entry == .type { out[parser.metricNameString] = parser.metricType }
        }
        return out
    }

    func fixtureFamilies(_ name: String) throws -> [String: MetricType] { try families(try Fixtures.bytes(name)) }

    @Test func sameSeedAndClockGiveTheSameMetrics() {
        let a = Simulation(startMs: Self.start)
        let b = Simulation(startMs: Self.start)
        a.advance(toMs: Self.start + 600_000)
        b.advance(toMs: Self.start + 600_000)
        for e in a.endpoints { #expect(a.exposition(path: e.path) == b.exposition(path: e.path), "\(e.path)") }
        let other = Simulation(config: .standard(seed: 7), startMs: Self.start)
        other.advance(toMs: Self.start + 600_000)
        #expect(other.exposition(path: "/kueue/metrics") != a.exposition(path: "/kueue/metrics"))
    }

    @Test func endpointsUseTheRealMetricNamesAndTypes() throws {
        let sim = Simulation(startMs: Self.start)
        let kueue = try families(try #require(sim.exposition(path: "/kueue/metrics")))
        let kueueFixture = try fixtureFamilies("kueue_metrics.prom")
        for (name, type) in kueue { #expect(kueueFixture[name] == type, "kueue \(name)") }
        #expect(kueue.count >= 15)
        let vllmPath = try #require(sim.endpoints.first { $0.kind == .vllm }?.path)
        let vllm = try families(try #require(sim.exposition(path: vllmPath)))
        let vllmFixture = try fixtureFamilies("vllm_metrics.prom")
        for (name, type) in vllm { #expect(vllmFixture[name] == type, "vllm \(name)") }
        let mmPath = try #require(sim.endpoints.first { $0.kind == .modelmesh }?.path)
        let mm = try families(try #require(sim.exposition(path: mmPath)))
        let mmFixture = try fixtureFamilies("modelmesh_metrics.prom")
        for (name, type) in mm { #expect(mmFixture[name] == type, "modelmesh \(name)") }
        #expect(sim.exposition(path: "/vllm/nope/0/metrics") == nil)
    }

    @Test func moreReplicasBringLatencyAndQueueDown() throws {
        let model = "meta-llama/Llama-3.1-8B-Instruct"
        // A surge of 12 requests/s more than one replica (12/s) serves; six serve it easily.
        var config = SimulationConfig.standard()
        config.surges = [TrafficSurge(model: model, start: Double(Self.start) / 1000, end: Double(Self.start) / 1000 + 3600, extraRate: 12)]
        let busy = Simulation(config: config, startMs: Self.start)
        busy.setReplicas(of: model, to: 1)
        let relaxed = Simulation(config: config, startMs: Self.start)
        relaxed.setReplicas(of: model, to: 6)
        for minute in 1...30 {
            busy.advance(toMs: Self.start + Int64(minute) * 60_000)
            relaxed.advance(toMs: Self.start + Int64(minute) * 60_000)
        }
        let b = try #require(busy.state(of: model))
        let r = try #require(relaxed.state(of: model))
        #expect(b.requestRate == r.requestRate)
        #expect(b.meanLatencySeconds > r.meanLatencySeconds * 1.5)
        #expect(b.backlog >= r.backlog)
        #expect(relaxed.endpoints.filter { $0.model == model }.count == 6)
    }

    @Test func trafficFollowsTheDay() throws {
        let model = "fraud-detector"
        let sim = Simulation(startMs: 1_795_910_400_000) // 00:00 UTC
        var rates: [Double] = []
        for hour in 0..<24 {
            sim.advance(toMs: 1_795_910_400_000 + Int64(hour) * 3_600_000)
            rates.append(try #require(sim.state(of: model)).requestRate)
        }
        // The trough is at night, the peak in the afternoon (bursts aside).
        #expect(rates[3] < rates[15])
        #expect(rates.min()! < rates.max()! / 2)
    }

    @Test func kueueWorkloadsQueueWithinQuotaAndMoveWhenQuotaGrows() throws {
        let sim = Simulation(startMs: Self.start)
        // Squeeze team-a to one GPU per flavor: its jobs must wait (or borrow from team-b).
        for flavor in ["gpu-a100", "gpu-h100"] {
            sim.setNominalQuota(clusterQueue: "team-a-cq", flavor: flavor, resource: "nvidia.com/gpu", to: 1)
            sim.setNominalQuota(clusterQueue: "team-b-cq", flavor: flavor, resource: "nvidia.com/gpu", to: 1)
        }
        sim.advance(toMs: Self.start + 6 * 3_600_000)
        let squeezed = try kueueValues(sim)
        #expect(squeezed["kueue_pending_workloads{team-a-cq}", default: 0] > 0)
        // Borrowing stays within the cohort: both queues together use at most the cohort's 4 GPUs.
        let cohortUsage = squeezed["kueue_cluster_queue_resource_usage{team-a-cq,gpu}", default: 0]
            + squeezed["kueue_cluster_queue_resource_usage{team-b-cq,gpu}", default: 0]
        #expect(cohortUsage <= 4)
        #expect(squeezed["kueue_cluster_queue_resource_usage{team-a-cq,gpu}", default: 0] > 0)
        for flavor in ["gpu-a100", "gpu-h100"] {
            sim.setNominalQuota(clusterQueue: "team-a-cq", flavor: flavor, resource: "nvidia.com/gpu", to: 64)
        }
        sim.advance(toMs: Self.start + 6 * 3_600_000 + 60_000)
        let grown = try kueueValues(sim)
        #expect(grown["kueue_pending_workloads{team-a-cq}", default: 0] < squeezed["kueue_pending_workloads{team-a-cq}", default: 0])
        #expect(grown["kueue_admitted_workloads_total{team-a-cq}", default: 0] > squeezed["kueue_admitted_workloads_total{team-a-cq}", default: 0])
    }

    /// A few Kueue figures summed over labels, keyed `name{queue}` or `name{queue,gpu}`.
    func kueueValues(_ sim: Simulation) throws -> [String: Double] {
        let body = try #require(sim.exposition(path: "/kueue/metrics"))
        var out: [String: Double] = [:]
        for s in try parseAll(body, .prometheusText) {
            guard let name = s.labels["__name__"], let queue = s.labels["cluster_queue"] else { continue }
            var key = "\(name){\(queue)}"
            if name.hasPrefix("kueue_cluster_queue_resource") {
                guard s.labels["resource"] == "nvidia.com/gpu" else { continue }
                key = "\(name){\(queue),gpu}"
            }
            out[key, default: 0] += s.value
        }
        return out
    }
}
