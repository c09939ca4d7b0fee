/// What the parser found on the line it just read. The details live on the parser
/// (`ExpositionParser.metricName`, `.value`, …) until the next call to `next()`.
public enum ExpositionEntry: Sendable, Hashable {
    /// `# HELP name text`: `metricName` and `helpText()`.
    case help
    /// `# TYPE name type`: `metricName` and `metricType`.
    case type
    /// `# UNIT name unit` (OpenMetrics): `metricName` and `unitText`.
    case unit
    /// Any other `#` line of the text format.
    case comment
    /// A sample: `metricName`, `series`, `labels`, `value`, `timestamp`, and an exemplar if any.
    case sample
}

/// Byte ranges of one `name="value"` pair inside the parsed input.
public struct LabelSpan: Sendable, Hashable {
    public var name: Range<Int>
    /// The value between its quotes, still escaped when `isEscaped` is set.
    public var value: Range<Int>
    public var isEscaped: Bool
}
