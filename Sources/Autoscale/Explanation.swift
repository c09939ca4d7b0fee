import PromQL

/// How a recommendation came about: its inputs, each step's result and why, in one line for
/// people and in full as JSON.
public struct Explanation: Sendable, Equatable {
    public struct Step: Sendable, Equatable {
        public var name: String
        public var value: Double
        public var note: String

        public init(_ name: String, _ value: Double, _ note: String) {
            self.name = name
            self.value = value
            self.note = note
        }
    }

    public var inputs: [String: Double] = [:]
    public var steps: [Step] = []
    public var final: Double = 0

    public init() {}

    public mutating func step(_ name: String, _ value: Double, _ note: String) {
        steps.append(Step(name, value, note))
    }

    /// `8 replicas: vllm waiting 42 → HPA 9, burst 12, forecast 10, stabilized 12, policy limit 8 (ScaleUpLimit)`.
    public func oneLine(unit: String) -> String {
        let number = { (v: Double) in GoFloat.formatG((v * 1000).rounded() / 1000) }
        let input = inputs.keys.sorted().map { "\($0) \(number(inputs[$0]!))" }.joined(separator: ", ")
        let chain = steps.map { "\($0.name) \(number($0.value))" + ($0.note.isEmpty ? "" : " (\($0.note))") }.joined(separator: ", ")
        return "\(number(final)) \(unit): \(input) → \(chain)"
    }

    /// The full explanation as JSON: inputs, ordered steps, final value.
    public var json: String {
        let str = JSONString.quote
        func num(_ v: Double) -> String { v.isFinite ? (v == v.rounded() && abs(v) < 1e15 ? String(Int(v)) : "\(v)") : "null" }
        let inputsJSON = "{" + inputs.keys.sorted().map { "\(str($0)):\(num(inputs[$0]!))" }.joined(separator: ",") + "}"
        let stepsJSON = "[" + steps.map { #"{"step":\#(str($0.name)),"value":\#(num($0.value)),"why":\#(str($0.note))}"# }.joined(separator: ",") + "]"
        return #"{"inputs":\#(inputsJSON),"steps":\#(stepsJSON),"final":\#(num(final))}"#
    }
}
