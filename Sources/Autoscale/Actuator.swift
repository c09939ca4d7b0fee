/// What applies recommendations to the world: reads the current state, applies a change, and
/// reports conflicts (someone else changed the object) so the policy backs off. The simulator
/// implements it for the demo; the Kubernetes actuator (a later issue) implements it in-cluster.
public protocol Actuator: Sendable {
    /// The replicas a workload runs now; nil for an unknown workload.
    func currentReplicas(of target: String) async -> Int?
    /// A container's CPU (cores) and memory (bytes) requests now; nil when unknown.
    func currentResources(of target: String, container: String) async -> (cpuCores: Double, memoryBytes: Double)?
    /// A ClusterQueue's nominal quota of one flavor and resource now; nil when unknown.
    func currentNominalQuota(clusterQueue: String, flavor: String, resource: String) async -> Double?
    /// Sets a workload's replicas.
    func setReplicas(of target: String, to replicas: Int) async -> ActuationResult
    /// Sets a workload container's CPU (cores) and memory (bytes) requests.
    func setResources(of target: String, container: String, cpuCores: Double, memoryBytes: Double) async -> ActuationResult
    /// Sets a ClusterQueue's nominal quota of one flavor and resource.
    func setNominalQuota(clusterQueue: String, flavor: String, resource: String, to value: Double) async -> ActuationResult
}

/// The outcome of one actuation.
public enum ActuationResult: Sendable, Equatable {
    case applied
    /// The object changed under us since it was read (an optimistic-concurrency failure).
    case conflict(String)
    case failed(String)
}
