/// `spec.behavior` of a HorizontalPodAutoscaler: per direction a stabilization window, policies
/// and how to pick among them, with Kubernetes' defaults.
public struct HPABehavior: Sendable, Equatable, Codable {
    public struct Policy: Sendable, Equatable, Codable {
        public enum Kind: String, Sendable, Codable { case pods = "Pods", percent = "Percent" }
        public var kind: Kind
        public var value: Int
        public var periodSeconds: Int

        public init(_ kind: Kind, _ value: Int, periodSeconds: Int) {
            self.kind = kind
            self.value = value
            self.periodSeconds = periodSeconds
        }
    }

    public enum Select: String, Sendable, Codable { case max = "Max", min = "Min", disabled = "Disabled" }

    public struct Rules: Sendable, Equatable, Codable {
        public var stabilizationWindowSeconds: Int
        public var select: Select
        public var policies: [Policy]

        public init(stabilizationWindowSeconds: Int, select: Select = .max, policies: [Policy]) {
            self.stabilizationWindowSeconds = stabilizationWindowSeconds
            self.select = select
            self.policies = policies
        }
    }

    public var scaleUp: Rules
    public var scaleDown: Rules

    /// Kubernetes' defaults: up at once by 100 % or 4 pods per 15 s, whichever is more; down after a
    /// 300 s window by up to 100 % per 15 s.
    public static let kubernetesDefault = HPABehavior(
        scaleUp: Rules(stabilizationWindowSeconds: 0, select: .max, policies: [Policy(.pods, 4, periodSeconds: 15), Policy(.percent, 100, periodSeconds: 15)]),
        scaleDown: Rules(stabilizationWindowSeconds: 300, select: .max, policies: [Policy(.percent, 100, periodSeconds: 15)]))

    public init(scaleUp: Rules, scaleDown: Rules) {
        self.scaleUp = scaleUp
        self.scaleDown = scaleDown
    }
}
