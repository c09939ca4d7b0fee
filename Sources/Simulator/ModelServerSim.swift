#if canImport(Glibc)
import Glibc
#endif

/// What kind of server a simulated model runs on.
public enum ModelServerKind: String, Sendable, CaseIterable {
    /// A vLLM OpenAI-compatible server per replica (`vllm:*` metrics).
    case vllm
    /// A ModelMesh runtime pod per replica (`modelmesh_*` metrics, :2112).
    case modelmesh
}

/// One served model: its traffic, its replicas, and a fluid queueing model of them.
///
/// Each replica serves up to `concurrency` requests at once, each taking `serviceSeconds`
/// when unloaded. As utilisation ρ grows, a request's service time grows as 1 + ρ²/2 (a
/// fuller batch decodes slower), it waits as in an M/M/c queue over all the replicas' slots
/// (Sakasegawa's approximation), and beyond capacity a backlog builds. Adding replicas
/// lowers ρ, so latency and queue depth visibly fall.
public struct ModelServerSpec: Sendable, Equatable {
    public var name: String
    public var kind: ModelServerKind
    public var replicas: Int
    /// Mean request rate over a day, requests per second, for the whole model.
    public var meanRate: Double
    public var concurrency: Double
    public var serviceSeconds: Double

    public init(name: String, kind: ModelServerKind, replicas: Int, meanRate: Double, concurrency: Double, serviceSeconds: Double) {
        self.name = name
        self.kind = kind
        self.replicas = replicas
        self.meanRate = meanRate
        self.concurrency = concurrency
        self.serviceSeconds = serviceSeconds
    }
}

/// The counters one replica (pod) exposes; a new pod starts from zero, as a real one does.
struct ReplicaCounters: Sendable {
    var served = 0.0
    var promptTokens = 0.0
    var generationTokens = 0.0
    var preemptions = 0.0
    var aborted = 0.0
    var e2e = SimHistogram(bounds: ModelServerSim.vllmLatencyBounds)
    var ttft = SimHistogram(bounds: ModelServerSim.ttftBounds)
    var queueTime = SimHistogram(bounds: ModelServerSim.vllmLatencyBounds)
    var apiMillis = SimHistogram(bounds: ModelServerSim.modelMeshBounds)
    var requestBytes = SimHistogram(bounds: ModelServerSim.sizeBounds)
    /// The server process: CPU seconds (tokenizer and scheduler work grow with load) and
    /// resident memory (weights plus what the batch holds).
    var cpuSeconds = 0.0
    var residentBytes = 7.0e9
}

struct ModelServerSim: Sendable {
    var spec: ModelServerSpec
    var traffic: TrafficShape
    /// Requests waiting (the whole model).
    var backlog = 0.0
    var currentRate = 0.0
    /// Requests in service (the whole model).
    var running = 0.0
    /// Mean time in service and in queue, seconds.
    var latency = 0.0
    var queueSeconds = 0.0
    var replicaCounters: [ReplicaCounters]
    /// Off for a demand trace: no per-pod counters or histograms, only the fluid model.
    var countersEnabled = true

    static let vllmLatencyBounds: [Double] = [0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680]
    static let ttftBounds: [Double] = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560]
    static let modelMeshBounds: [Double] = [0.5, 1, 2, 5, 10, 20, 50, 75, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 60000, 120_000, 300_000]
    static let sizeBounds: [Double] = [1024, 4096, 16384, 65536, 262_144, 1_048_576, 4_194_304]

    init(spec: ModelServerSpec, surges: [TrafficSurge] = []) {
        self.spec = spec
        traffic = TrafficShape(baseRate: spec.meanRate)
        traffic.surges = surges
        replicaCounters = Array(repeating: ReplicaCounters(), count: max(0, spec.replicas))
    }

    var capacityPerSecond: Double { Double(spec.replicas) * spec.concurrency / spec.serviceSeconds }

    /// Demand over capacity, capped at 1.
    var utilisation: Double { capacityPerSecond > 0 ? min(1, currentRate / capacityPerSecond) : 1 }

    /// Scales to `replicas`: new pods start with fresh counters, removed pods take theirs.
    mutating func setReplicas(_ replicas: Int) {
        let n = max(0, replicas)
        spec.replicas = n
        if replicaCounters.count > n { replicaCounters.removeLast(replicaCounters.count - n) }
        while replicaCounters.count < n { replicaCounters.append(ReplicaCounters()) }
    }

    mutating func step(t: Double, dt: Double, rng: inout SimRandom) {
        currentRate = traffic.rate(at: t, dt: dt, rng: &rng)
        let capacity = capacityPerSecond * dt
        let demand = currentRate * dt + backlog
        let done = min(demand, capacity)
        backlog = demand - done
        let rho = capacity > 0 ? min(0.98, currentRate * dt / capacity) : 0.98
        latency = spec.serviceSeconds * (1 + rho * rho / 2)
        let slots = max(1, Double(spec.replicas) * spec.concurrency)
        let wait = latency * pow(rho, (2 * (slots + 1)).squareRoot() - 1) / (slots * (1 - rho))
        queueSeconds = capacityPerSecond > 0 ? backlog / capacityPerSecond + wait : 0
        running = min(Double(spec.replicas) * spec.concurrency, currentRate * latency)
        guard countersEnabled, !replicaCounters.isEmpty else { return }
        let share = done / Double(replicaCounters.count)
        for i in replicaCounters.indices {
            // Replicas are not identical: ±10% around the even share.
            let n = share * (0.9 + 0.2 * rng.unit())
            replicaCounters[i].served += n
            replicaCounters[i].generationTokens += n * 180
            replicaCounters[i].promptTokens += n * 620
            if rho > 0.9 { replicaCounters[i].preemptions += n * 0.002 }
            replicaCounters[i].aborted += n * 0.005
            replicaCounters[i].e2e.observe(n, mean: latency + queueSeconds, minimum: spec.serviceSeconds * 0.3)
            replicaCounters[i].ttft.observe(n, mean: 0.05 + queueSeconds + 0.2 * rho, minimum: 0.01)
            replicaCounters[i].queueTime.observe(n, mean: max(queueSeconds, 0.001))
            replicaCounters[i].apiMillis.observe(n, mean: (latency + queueSeconds) * 1000, minimum: spec.serviceSeconds * 300)
            replicaCounters[i].requestBytes.observe(n, mean: 6000, minimum: 200)
            replicaCounters[i].cpuSeconds += dt * (0.4 + 2.4 * rho) * (0.9 + 0.2 * rng.unit())
            replicaCounters[i].residentBytes = 7.0e9 + 1.5e9 * rho + 2e8 * rng.unit()
        }
    }
}
