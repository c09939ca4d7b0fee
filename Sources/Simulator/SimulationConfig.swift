/// What the simulated cluster runs. `standard` is the demo's world: two vLLM models, one
/// ModelMesh runtime, and a Kueue cohort of two ClusterQueues over two GPU flavors.
public struct SimulationConfig: Sendable, Equatable {
    public var seed: UInt64
    public var models: [ModelServerSpec]
    public var clusterQueues: [ClusterQueueSpec]
    /// Scripted traffic surges per model, on top of the daily wave and random bursts.
    public var surges: [TrafficSurge]

    public init(seed: UInt64, models: [ModelServerSpec], clusterQueues: [ClusterQueueSpec], surges: [TrafficSurge] = []) {
        self.seed = seed
        self.models = models
        self.clusterQueues = clusterQueues
        self.surges = surges
    }

    public static func standard(seed: UInt64 = 42) -> SimulationConfig {
        let gib = 1_073_741_824.0
        return SimulationConfig(
            seed: seed,
            models: [
                ModelServerSpec(name: "meta-llama/Llama-3.1-8B-Instruct", kind: .vllm, replicas: 2, meanRate: 3.0, concurrency: 48, serviceSeconds: 4),
                ModelServerSpec(name: "mistralai/Mixtral-8x7B-Instruct", kind: .vllm, replicas: 1, meanRate: 0.6, concurrency: 32, serviceSeconds: 5),
                ModelServerSpec(name: "fraud-detector", kind: .modelmesh, replicas: 2, meanRate: 40, concurrency: 8, serviceSeconds: 0.012),
            ],
            clusterQueues: [
                ClusterQueueSpec(
                    name: "team-a-cq", cohort: "research", localQueue: "training", namespace: "team-a", priorityClass: "high-priority",
                    nominalQuota: ["gpu-a100": ["cpu": 64, "memory": 512 * gib, "nvidia.com/gpu": 8],
                                   "gpu-h100": ["cpu": 96, "memory": 1024 * gib, "nvidia.com/gpu": 8]],
                    borrowingLimit: ["gpu-a100": ["nvidia.com/gpu": 4]],
                    arrivalsPerHour: 6),
                ClusterQueueSpec(
                    name: "team-b-cq", cohort: "research", localQueue: "batch", namespace: "team-b", priorityClass: "",
                    nominalQuota: ["gpu-a100": ["cpu": 32, "memory": 256 * gib, "nvidia.com/gpu": 4],
                                   "gpu-h100": ["cpu": 48, "memory": 512 * gib, "nvidia.com/gpu": 4]],
                    arrivalsPerHour: 3),
            ])
    }
}
