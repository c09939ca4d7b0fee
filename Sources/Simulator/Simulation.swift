import Synchronization

/// A simulated Kueue controller and pool of model servers, advanced by an injected clock:
/// the same seed and the same times give the same metrics, so tests run a day in a moment.
/// Replica counts and nominal quotas are inputs (an autoscaler may change them).
public final class Simulation: Sendable {
    public let config: SimulationConfig
    let world: Mutex<World>

    struct World: Sendable {
        var rng: SimRandom
        /// Simulated time, seconds since the epoch.
        var now: Double
        var models: [ModelServerSim]
        var kueue: KueueSim
        /// Requests set by an actuator, per model and container: (cores, bytes).
        var resourceRequests: [String: (cpu: Double, memory: Double)] = [:]
    }

    /// The world at `startMs` (ms since the epoch), warmed up for an hour so queues and
    /// counters look lived-in.
    public init(config: SimulationConfig = .standard(), startMs: Int64) {
        self.config = config
        let start = Double(startMs) / 1000
        world = Mutex(World(rng: SimRandom(seed: config.seed), now: start - 3600,
                            models: config.models.map { spec in
                                ModelServerSim(spec: spec, surges: config.surges.filter { $0.model == spec.name })
                            }, kueue: KueueSim(specs: config.clusterQueues)))
        advance(toMs: startMs)
    }

    /// Simulated time, ms since the epoch.
    public var nowMs: Int64 { world.withLock { Int64(($0.now * 1000).rounded()) } }

    /// Steps the world in one-second ticks up to `ms` (earlier times are ignored).
    public func advance(toMs ms: Int64) {
        let target = Double(ms) / 1000
        world.withLock { w in
            while w.now + 1 <= target {
                let t = w.now
                for i in w.models.indices { w.models[i].step(t: t, dt: 1, rng: &w.rng) }
                w.kueue.step(t: t, dt: 1, rng: &w.rng)
                w.now += 1
            }
        }
    }

    public func replicas(of model: String) -> Int? {
        world.withLock { w in w.models.first { $0.spec.name == model }?.spec.replicas }
    }

    /// Scales a model; returns false for an unknown model.
    @discardableResult
    public func setReplicas(of model: String, to replicas: Int) -> Bool {
        world.withLock { w in
            guard let i = w.models.firstIndex(where: { $0.spec.name == model }) else { return false }
            w.models[i].setReplicas(replicas)
            return true
        }
    }

    /// Records a model container's CPU and memory requests; returns false for an unknown model.
    @discardableResult
    public func setResourceRequests(of model: String, container: String, cpuCores: Double, memoryBytes: Double) -> Bool {
        world.withLock { w in
            guard w.models.contains(where: { $0.spec.name == model }) else { return false }
            w.resourceRequests[model + "/" + container] = (cpuCores, memoryBytes)
            return true
        }
    }

    /// A model container's requests as last set, (cores, bytes).
    public func resourceRequests(of model: String, container: String) -> (cpu: Double, memory: Double)? {
        world.withLock { $0.resourceRequests[model + "/" + container] }
    }

    /// A ClusterQueue's nominal quota of one flavor and resource; nil for an unknown one.
    public func nominalQuota(clusterQueue: String, flavor: String, resource: String) -> Double? {
        world.withLock { w in w.kueue.queues.first { $0.spec.name == clusterQueue }?.spec.nominalQuota[flavor]?[resource] }
    }

    /// Sets a ClusterQueue's nominal quota; returns false for an unknown queue.
    @discardableResult
    public func setNominalQuota(clusterQueue: String, flavor: String, resource: String, to value: Double) -> Bool {
        world.withLock { w in
            guard let q = w.kueue.queues.firstIndex(where: { $0.spec.name == clusterQueue }) else { return false }
            w.kueue.queues[q].spec.nominalQuota[flavor, default: [:]][resource] = value
            for i in w.kueue.queues[q].pending.indices { w.kueue.queues[q].pending[i].inadmissible = false }
            return true
        }
    }

    /// What the model is living through now: demand, capacity, latency, queue.
    public struct ModelState: Sendable, Equatable {
        public let requestRate: Double
        public let capacity: Double
        public let meanLatencySeconds: Double
        public let backlog: Double
        public let inBurst: Bool
    }

    public func state(of model: String) -> ModelState? {
        world.withLock { w in
            guard let m = w.models.first(where: { $0.spec.name == model }) else { return nil }
            return ModelState(requestRate: m.currentRate, capacity: m.capacityPerSecond,
                              meanLatencySeconds: m.latency + m.queueSeconds, backlog: m.backlog, inBurst: m.traffic.inBurst)
        }
    }

    /// Every endpoint the simulator serves now: Kueue's controller and one per model replica.
    public var endpoints: [SimulatedEndpoint] {
        world.withLock { w in
            var out = [SimulatedEndpoint(kind: .kueue, path: "/kueue/metrics", model: nil, replica: nil)]
            for m in w.models {
                for r in 0..<m.spec.replicas {
                    out.append(SimulatedEndpoint(kind: m.spec.kind == .vllm ? .vllm : .modelmesh,
                                                 path: "/\(m.spec.kind.rawValue)/\(SimulatedEndpoint.slug(m.spec.name))/\(r)/metrics",
                                                 model: m.spec.name, replica: r))
                }
            }
            return out
        }
    }

    /// The exposition an endpoint serves now; nil for a replica that does not exist (404).
    public func exposition(path: String) -> [UInt8]? {
        world.withLock { w in
            if path == "/kueue/metrics" { return KueueExposition.render(w.kueue) }
            let parts = path.split(separator: "/")
            guard parts.count == 4, parts[3] == "metrics", let r = Int(parts[2]) else { return nil }
            guard let m = w.models.first(where: { $0.spec.kind.rawValue == parts[0] && SimulatedEndpoint.slug($0.spec.name) == parts[1] }),
                  r >= 0, r < m.replicaCounters.count else { return nil }
            switch m.spec.kind {
            case .vllm: return VLLMExposition.render(m, replica: r)
            case .modelmesh: return ModelMeshExposition.render(m, replica: r)
            }
        }
    }
}

/// One HTTP endpoint of the simulator.
public struct SimulatedEndpoint: Sendable, Equatable {
    public enum Kind: String, Sendable { case kueue, vllm, modelmesh }
    public let kind: Kind
    public let path: String
    public let model: String?
    public let replica: Int?

    /// A model name as a path element (`meta-llama/Llama-3.1-8B-Instruct` → `meta-llama--llama-3.1-8b-instruct`).
    public static func slug(_ name: String) -> String {
        name.lowercased().split(separator: "/", omittingEmptySubsequences: false).joined(separator: "--")
    }
}
