/// One metric of a replica policy as the Kubernetes HPA reads it, with what the replica
/// calculator needs: per-pod values (and requests for utilization) and the pods' readiness.
public enum HPAMetric: Sendable, Equatable {
    /// Resource utilization: usage over requests, as a percentage, against `targetPercent`.
    case utilization(pods: [PodSample], targetPercent: Double)
    /// A per-pod average (Pods metrics, Resource or External `AverageValue`) against `target`.
    case averageValue(pods: [PodSample], target: Double)
    /// An External metric's `AverageValue`: the total spread over the current replicas.
    case externalAverageValue(total: Double, target: Double)
    /// An Object or External metric's `Value` against `target`.
    case value(current: Double, target: Double)
}

extension HPAMetric {
    /// Every number the metric carries (values, requests and targets).
    var values: [Double] {
        switch self {
        case .utilization(let pods, let target): return pods.flatMap { [$0.value ?? 0, $0.request] } + [target]
        case .averageValue(let pods, let target): return pods.map { $0.value ?? 0 } + [target]
        case .externalAverageValue(let total, let target): return [total, target]
        case .value(let current, let target): return [current, target]
        }
    }
}

/// One pod's sample: its value (nil when the metrics API has none: a missing pod), its request
/// (utilization only), and whether it counts as ready (not-ready and just-started pods do not).
public struct PodSample: Sendable, Equatable {
    public var name: String
    public var value: Double?
    public var request: Double
    public var ready: Bool

    public init(_ name: String, value: Double?, request: Double = 0, ready: Bool = true) {
        self.name = name
        self.value = value
        self.request = request
        self.ready = ready
    }
}

/// Kubernetes' tolerance: no change while the usage ratio is within it (0.1 by default; per
/// direction since Kubernetes 1.33's configurable tolerance).
public struct HPATolerance: Sendable, Equatable, Codable {
    public var scaleUp = 0.1
    public var scaleDown = 0.1

    public init(scaleUp: Double = 0.1, scaleDown: Double = 0.1) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }

    func within(_ ratio: Double) -> Bool {
        ratio > 1 ? ratio - 1 <= scaleUp : 1 - ratio <= scaleDown
    }
}
