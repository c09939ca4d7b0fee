#if canImport(Glibc)
import Glibc
#endif

/// The Kubernetes HPA's replica calculator (`replica_calculator.go`): the replicas one metric asks
/// for, with its rules for missing pods (100 % of target on a scale-down, 0 on a scale-up),
/// not-ready pods (0 on a scale-up) and the tolerance.
public enum ReplicaCalculator {
    /// Why a metric gives no proposal.
    public struct NoProposal: Error, Sendable, Equatable, CustomStringConvertible {
        public let description: String
    }

    public static func replicas(for metric: HPAMetric, currentReplicas: Int, readyPods: Int? = nil,
                                tolerance: HPATolerance = HPATolerance()) throws(NoProposal) -> Int {
        // A signal with no number (NaN: a quantile over no traffic) or none Kubernetes could hold
        // gives no proposal, as a metric the API cannot serve.
        guard metric.values.allSatisfy(representable) else {
            throw NoProposal(description: "the metric's value is not a finite number within ±9.2e15")
        }
        switch metric {
        case .utilization(let pods, let target):
            return try podReplicas(pods, currentReplicas: currentReplicas, tolerance: tolerance, utilizationTarget: target)
        case .averageValue(let pods, let target):
            return try podReplicas(pods, currentReplicas: currentReplicas, tolerance: tolerance, averageTarget: target)
        case .externalAverageValue(let total, let target):
            guard milli(target) > 0 else { throw NoProposal(description: "target must be above zero") }
            let ratio = Double(milli(total)) / (Double(milli(target)) * Double(currentReplicas))
            if currentReplicas != 0 && tolerance.within(ratio) { return currentReplicas }
            return Int((Double(milli(total)) / Double(milli(target))).rounded(.up))
        case .value(let current, let target):
            guard milli(target) > 0 else { throw NoProposal(description: "target must be above zero") }
            let ratio = Double(milli(current)) / Double(milli(target))
            guard currentReplicas != 0 else { return Int(ratio.rounded(.up)) }
            if tolerance.within(ratio) { return currentReplicas }
            return Int((ratio * Double(readyPods ?? currentReplicas)).rounded(.up))
        }
    }

    /// A quantity in milli-units, as Kubernetes' `MilliValue` (to the nearest, so float noise in a
    /// signal does not turn 0.2 into 201m). Callers check `representable` first.
    static func milli(_ v: Double) -> Int64 { Int64((v * 1000).rounded()) }

    /// Whether `v` has a milli-value: finite and within what an Int64 of milli-units holds.
    static func representable(_ v: Double) -> Bool { v.isFinite && abs(v) < 9.2e15 }

    private static func podReplicas(_ pods: [PodSample], currentReplicas: Int, tolerance: HPATolerance,
                                    utilizationTarget: Double? = nil, averageTarget: Double? = nil) throws(NoProposal) -> Int {
        // Ready pods with metrics, not-ready pods, and pods the metrics API has nothing for.
        var values: [String: (value: Double, request: Double)] = [:]
        var unready: [PodSample] = [], missing: [PodSample] = []
        for pod in pods {
            guard let v = pod.value else { missing.append(pod); continue }
            if pod.ready { values[pod.name] = (v, pod.request) } else { unready.append(pod) }
        }
        let readyCount = values.count
        guard !values.isEmpty else { throw NoProposal(description: "did not receive metrics for targeted pods (pods might be unready)") }
        // As Kubernetes: quantities in milli-units, averages and utilization by integer division.
        func ratio() throws(NoProposal) -> Double {
            if let target = utilizationTarget {
                let requests = values.values.reduce(Int64(0)) { $0 + milli($1.request) }
                guard requests > 0 else { throw NoProposal(description: "missing request for the resource") }
                let utilization = values.values.reduce(Int64(0)) { $0 + milli($1.value) } * 100 / requests
                return Double(utilization) / target
            }
            guard let target = averageTarget, milli(target) > 0 else { throw NoProposal(description: "target must be above zero") }
            let average = values.values.reduce(Int64(0)) { $0 + milli($1.value) } / Int64(values.count)
            return Double(average) / Double(milli(target))
        }
        let usageRatio = try ratio()
        let scaleUpWithUnready = !unready.isEmpty && usageRatio > 1
        if !scaleUpWithUnready && missing.isEmpty {
            if tolerance.within(usageRatio) { return currentReplicas }
            return Int((usageRatio * Double(readyCount)).rounded(.up))
        }
        for pod in missing {
            // On a scale-down a missing pod counts as at target (its request, for utilization); on a scale-up, as idle.
            let atTarget = utilizationTarget != nil ? pod.request : (averageTarget ?? 0)
            values[pod.name] = (usageRatio < 1 ? atTarget : 0, pod.request)
        }
        if scaleUpWithUnready { for pod in unready { values[pod.name] = (0, pod.request) } }
        let newRatio = try ratio()
        if tolerance.within(newRatio) || (usageRatio < 1 && newRatio > 1) || (usageRatio > 1 && newRatio < 1) {
            return currentReplicas
        }
        let proposed = Int((newRatio * Double(values.count)).rounded(.up))
        if (newRatio < 1 && proposed > currentReplicas) || (newRatio > 1 && proposed < currentReplicas) { return currentReplicas }
        return proposed
    }
}
