/// A ClusterQueue of the simulated Kueue: its cohort, quotas per flavor and resource, and
/// the workloads its LocalQueue submits.
public struct ClusterQueueSpec: Sendable, Equatable {
    public var name: String
    public var cohort: String
    public var localQueue: String
    public var namespace: String
    public var priorityClass: String
    /// flavor → resource → nominal quota (`cpu` in cores, `memory` in bytes, `nvidia.com/gpu`).
    public var nominalQuota: [String: [String: Double]]
    /// flavor → resource → borrowing limit; absent means unlimited (+Inf, Kueue ≥ 0.19).
    public var borrowingLimit: [String: [String: Double]] = [:]
    /// Mean workload arrivals per hour (shaped over the day like the traffic).
    public var arrivalsPerHour: Double

    public init(name: String, cohort: String, localQueue: String, namespace: String, priorityClass: String,
                nominalQuota: [String: [String: Double]], borrowingLimit: [String: [String: Double]] = [:], arrivalsPerHour: Double) {
        self.name = name
        self.cohort = cohort
        self.localQueue = localQueue
        self.namespace = namespace
        self.priorityClass = priorityClass
        self.nominalQuota = nominalQuota
        self.borrowingLimit = borrowingLimit
        self.arrivalsPerHour = arrivalsPerHour
    }
}

/// One training job as Kueue sees it.
struct Workload: Sendable {
    var requests: [String: Double]
    var createdAt: Double
    var runSeconds: Double
    var flavor: String? = nil
    var admittedAt: Double? = nil
    /// Set after an admission attempt failed; cleared when capacity frees up.
    var inadmissible = false
}

struct ClusterQueueSim: Sendable {
    var spec: ClusterQueueSpec
    var traffic: TrafficShape
    var pending: [Workload] = []
    var running: [Workload] = []
    var admittedTotal = 0.0
    var evictedTotal = 0.0
    var waitTime = SimHistogram(bounds: KueueSim.waitBounds)

    init(spec: ClusterQueueSpec) {
        self.spec = spec
        traffic = TrafficShape(baseRate: spec.arrivalsPerHour / 3600, dailyAmplitude: 0.4, burstRate: 1.0 / 14_400)
    }

    func usage(_ flavor: String, _ resource: String) -> Double {
        running.reduce(0) { $0 + ($1.flavor == flavor ? $1.requests[resource] ?? 0 : 0) }
    }

    var flavors: [String] { spec.nominalQuota.keys.sorted() }
}

/// Kueue's queueing of batch work in one cohort: workloads arrive, wait, are admitted within
/// nominal quota (borrowing unused quota of the cohort up to the borrowing limit), run and
/// finish. Flavors are tried in order; admission is best-effort FIFO per ClusterQueue.
struct KueueSim: Sendable {
    static let waitBounds: [Double] = [1, 2.5, 5, 10, 20, 40, 80, 160, 320, 640, 1280, 2560, 5120, 10240, 20480, 40960]
    static let resources = ["cpu", "memory", "nvidia.com/gpu"]

    var queues: [ClusterQueueSim]
    var attemptsSuccess = 0.0
    var attemptsInadmissible = 0.0
    var reconciles = 0.0

    init(specs: [ClusterQueueSpec]) { queues = specs.map(ClusterQueueSim.init) }

    mutating func step(t: Double, dt: Double, rng: inout SimRandom) {
        var freed = false
        for q in queues.indices {
            let rate = queues[q].traffic.rate(at: t, dt: dt, rng: &rng)
            if rng.happens(rate: rate, dt: dt) {
                let gpus = rng.pick([1.0, 1, 2, 2, 4, 8])
                queues[q].pending.append(Workload(
                    requests: ["nvidia.com/gpu": gpus, "cpu": gpus * 8, "memory": gpus * 64 * 1_073_741_824],
                    createdAt: t, runSeconds: rng.logNormal(median: 3600, sigma: 0.7)))
            }
            let before = queues[q].running.count
            queues[q].running.removeAll { t - ($0.admittedAt ?? t) >= $0.runSeconds }
            if queues[q].running.count < before { freed = true }
        }
        if freed { for q in queues.indices { for w in queues[q].pending.indices { queues[q].pending[w].inadmissible = false } } }
        admit(t: t)
        reconciles += dt / 10
    }

    private mutating func admit(t: Double) {
        for q in queues.indices {
            var w = 0
            while w < queues[q].pending.count {
                if queues[q].pending[w].inadmissible {
                    w += 1
                    continue
                }
                if let flavor = fittingFlavor(q, queues[q].pending[w].requests) {
                    var workload = queues[q].pending.remove(at: w)
                    workload.flavor = flavor
                    workload.admittedAt = t
                    queues[q].waitTime.observe(1, mean: t - workload.createdAt, minimum: t - workload.createdAt)
                    queues[q].running.append(workload)
                    queues[q].admittedTotal += 1
                    attemptsSuccess += 1
                } else {
                    queues[q].pending[w].inadmissible = true
                    attemptsInadmissible += 1
                    w += 1
                }
            }
        }
    }

    /// The first flavor where every requested resource fits nominal quota plus what the cohort
    /// can lend (its unused quota, capped by this queue's borrowing limit).
    private func fittingFlavor(_ q: Int, _ requests: [String: Double]) -> String? {
        let spec = queues[q].spec
        for flavor in queues[q].flavors {
            let fits = requests.allSatisfy { resource, need in
                let nominal = spec.nominalQuota[flavor]?[resource] ?? 0
                let used = queues[q].usage(flavor, resource)
                if used + need <= nominal { return true }
                let limit = spec.borrowingLimit[flavor]?[resource] ?? .infinity
                let cohort = queues.filter { $0.spec.cohort == spec.cohort }
                let cohortNominal = cohort.reduce(0) { $0 + ($1.spec.nominalQuota[flavor]?[resource] ?? 0) }
                let cohortUsed = cohort.reduce(0) { $0 + $1.usage(flavor, resource) }
                return used + need <= nominal + limit && cohortUsed + need <= cohortNominal
            }
            if fits { return flavor }
        }
        return nil
    }
}
