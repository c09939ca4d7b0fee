import Autoscale
import ConfigSupport

extension AutoscalingConfig.ReplicaPolicy {
    /// The recommender's settings for this policy.
    public var settings: ReplicaRecommender.Settings {
        var s = ReplicaRecommender.Settings()
        s.minReplicas = minReplicas
        s.maxReplicas = maxReplicas
        s.behavior = behavior
        s.tolerance = tolerance
        s.burst = burst ? BurstMode() : nil
        s.leadTimeMs = leadTimeMs
        if minReplicas == 0 { s.scaleToZero = ScaleToZero(activationThreshold: activationThreshold, cooldownMs: cooldownMs) }
        return s
    }
}

extension AutoscalingConfig {
    /// `behavior` as a HorizontalPodAutoscaler's `spec.behavior` is written: `scaleUp` and
    /// `scaleDown`, each with `stabilizationWindowSeconds`, `selectPolicy` and `policies`
    /// (`type: Pods|Percent`, `value`, `periodSeconds`); what is left out keeps its default.
    static func behavior(_ node: ConfigNode, base: HPABehavior) -> HPABehavior {
        var b = base
        guard let m = node.mapping(allowed: ["scaleUp", "scaleDown"]) else { return b }
        if let r = m["scaleUp"] { b.scaleUp = rules(r, base: b.scaleUp) }
        if let r = m["scaleDown"] { b.scaleDown = rules(r, base: b.scaleDown) }
        return b
    }

    static func rules(_ node: ConfigNode, base: HPABehavior.Rules) -> HPABehavior.Rules {
        var r = base
        guard let m = node.mapping(allowed: ["stabilizationWindowSeconds", "selectPolicy", "policies"]) else { return r }
        if let n = m["stabilizationWindowSeconds"]?.int {
            // The HPA's API bounds: 0 to 3,600 seconds.
            if n < 0 || n > 3600 { m["stabilizationWindowSeconds"]?.fail("stabilizationWindowSeconds must be between 0 and 3600") } else { r.stabilizationWindowSeconds = n }
        }
        if let text = m["selectPolicy"]?.string {
            if let select = HPABehavior.Select(rawValue: text) { r.select = select } else { m["selectPolicy"]?.fail("selectPolicy must be Max, Min or Disabled, got \"\(text)\"") }
        }
        if let list = m["policies"]?.list {
            var policies: [HPABehavior.Policy] = []
            for item in list {
                guard let pm = item.mapping(allowed: ["type", "value", "periodSeconds"]),
                      let type = pm.require("type")?.string, let value = pm.require("value")?.int, let period = pm.require("periodSeconds")?.int else { continue }
                guard let kind = HPABehavior.Policy.Kind(rawValue: type) else {
                    pm["type"]?.fail("type must be Pods or Percent, got \"\(type)\"")
                    continue
                }
                if value <= 0 { pm["value"]?.fail("value must be above zero") }
                if period <= 0 || period > 1800 { pm["periodSeconds"]?.fail("periodSeconds must be between 1 and 1800") }
                policies.append(HPABehavior.Policy(kind, value, periodSeconds: period))
            }
            if policies.isEmpty && r.select != .disabled { node.fail("policies must not be empty unless selectPolicy is Disabled") }
            r.policies = policies
        }
        return r
    }

    /// `tolerance: 0.05`, or per direction `{scale_up: 0.05, scale_down: 0.2}` (Kubernetes 1.33).
    static func tolerance(_ node: ConfigNode) -> HPATolerance {
        if case .scalar = node.node, let v = node.double {
            if v < 0 || v >= 1 { node.fail("tolerance must be at least 0 and below 1") }
            return HPATolerance(scaleUp: v, scaleDown: v)
        }
        var t = HPATolerance()
        guard let m = node.mapping(allowed: ["scale_up", "scale_down"]) else { return t }
        for (key, path) in [("scale_up", \HPATolerance.scaleUp), ("scale_down", \HPATolerance.scaleDown)] {
            guard let v = m[key]?.double else { continue }
            if v < 0 || v >= 1 { m[key]?.fail("\(key) must be at least 0 and below 1") } else { t[keyPath: path] = v }
        }
        return t
    }
}
