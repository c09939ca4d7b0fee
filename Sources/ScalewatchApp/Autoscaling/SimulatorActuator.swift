import Autoscale
import Simulator

/// The demo's actuator: recommendations change the simulated replicas and quotas, and the
/// simulated latency and queue waits respond.
public struct SimulatorActuator: Actuator {
    let simulation: Simulation

    public init(simulation: Simulation) { self.simulation = simulation }

    public func currentReplicas(of target: String) async -> Int? { simulation.replicas(of: target) }

    public func currentResources(of target: String, container: String) async -> (cpuCores: Double, memoryBytes: Double)? {
        simulation.resourceRequests(of: target, container: container).map { ($0.cpu, $0.memory) }
    }

    public func currentNominalQuota(clusterQueue: String, flavor: String, resource: String) async -> Double? {
        simulation.nominalQuota(clusterQueue: clusterQueue, flavor: flavor, resource: resource)
    }

    public func setReplicas(of target: String, to replicas: Int) async -> ActuationResult {
        simulation.setReplicas(of: target, to: replicas) ? .applied : .failed("no simulated workload \(target)")
    }

    /// Recorded by the simulation; its simulated latency does not depend on requests.
    public func setResources(of target: String, container: String, cpuCores: Double, memoryBytes: Double) async -> ActuationResult {
        simulation.setResourceRequests(of: target, container: container, cpuCores: cpuCores, memoryBytes: memoryBytes) ? .applied
            : .failed("no simulated workload \(target)")
    }

    public func setNominalQuota(clusterQueue: String, flavor: String, resource: String, to value: Double) async -> ActuationResult {
        simulation.setNominalQuota(clusterQueue: clusterQueue, flavor: flavor, resource: resource, to: value) ? .applied
            : .failed("no simulated ClusterQueue \(clusterQueue) with \(flavor)/\(resource)")
    }
}
