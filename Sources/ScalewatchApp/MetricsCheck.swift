import Exposition

/// `scalewatch check metrics`: parse an exposition and lint it as `promtool check metrics` does.
public enum MetricsCheck {
    /// promtool's exit codes: 0 clean, 3 lint findings, 1 parse error.
    public static let lintExitCode: Int32 = 3
    public static let parseErrorExitCode: Int32 = 1

    public struct Outcome: Sendable, Equatable {
        public var output: String
        public var exitCode: Int32

        public init(output: String, exitCode: Int32) {
            self.output = output
            self.exitCode = exitCode
        }
    }

    /// Checks `input`; OpenMetrics when it is declared or when the body ends in `# EOF`.
    public static func run(_ input: [UInt8], format declared: ExpositionFormat? = nil) -> Outcome {
        let format = declared ?? (looksLikeOpenMetrics(input) ? .openMetrics : .prometheusText)
        do {
            let problems = try ExpositionLinter.lint(input, format: format)
            guard !problems.isEmpty else { return Outcome(output: "", exitCode: 0) }
            return Outcome(output: problems.map { "\($0)\n" }.joined(), exitCode: lintExitCode)
        } catch {
            return Outcome(output: "error while linting: \(format) parse error: \(error)\n", exitCode: parseErrorExitCode)
        }
    }

    static func looksLikeOpenMetrics(_ input: [UInt8]) -> Bool {
        var end = input.count
        while end > 0, input[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        let eof = Array("# EOF".utf8)
        return end >= eof.count && Array(input[(end - eof.count)..<end]) == eof
    }
}
