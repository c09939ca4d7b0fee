/// One finding of `scalewatch check metrics`, in promtool's words.
public struct LintProblem: Sendable, Hashable, CustomStringConvertible {
    public var metric: String
    public var text: String
    public var description: String { "\(metric) \(text)" }
}

/// The checks of `promtool check metrics` (client_golang's promlint): HELP, units, counter
/// suffixes, reserved suffixes and labels, type names in names, ':' and camelCase, abbreviated
/// units, duplicate series. Problems come sorted by metric, then text, as promtool prints them.
public struct ExpositionLinter {
    private var families: [String: FamilyFacts] = [:]
    private var order: [String] = []
    private var current: String? = nil

    private struct FamilyFacts {
        var type: MetricType = .untyped
        var hasHelp = false
        /// Label names of each metric (a histogram's or summary's series without `le`/`quantile`),
        /// in order of first appearance, as client_golang's parser groups them.
        var metrics: [[String]] = []
        var metricKeys: [[String]: Int] = [:]
        var seriesSeen: Set<[String]> = []
        var duplicate = false
    }

    public init() {}

    /// Parses `bytes` and lints every family; a parse error is thrown as is.
    public static func lint(_ bytes: [UInt8], format: ExpositionFormat) throws(ExpositionError) -> [LintProblem] {
        var parser = ExpositionParser(bytes: bytes, format: format)
        var linter = ExpositionLinter()
        while let entry = try parser.next() { linter.observe(entry, parser) }
        return linter.problems()
    }

    mutating func observe(_ entry: ExpositionEntry, _ parser: ExpositionParser) {
        switch entry {
        case .help:
            let name = parser.metricNameString
            touch(name)
            families[name]!.hasHelp = true
            current = name
        case .type:
            let name = parser.metricNameString
            touch(name)
            families[name]!.type = parser.metricType
            current = name
        case .unit, .comment:
            break
        case .sample:
            let name = family(of: parser.metricNameString)
            touch(name)
            let type = families[name]!.type
            var key = [parser.metricNameString]
            var metricKey: [String] = []
            var names: [String] = []
            for i in parser.labels.indices {
                let labelName = parser.labelName(i)
                let labelValue = parser.labelValue(i)
                key.append(labelName)
                key.append(labelValue)
                let grouping = (type == .histogram && labelName == "le") || (type == .summary && labelName == "quantile")
                if !grouping {
                    names.append(labelName)
                    metricKey.append(labelName)
                    metricKey.append(labelValue)
                }
            }
            if !families[name]!.seriesSeen.insert(key).inserted { families[name]!.duplicate = true }
            if families[name]!.metricKeys[metricKey] == nil {
                families[name]!.metricKeys[metricKey] = families[name]!.metrics.count
                families[name]!.metrics.append(names)
            }
        }
    }

    private mutating func touch(_ name: String) {
        if families[name] == nil {
            families[name] = FamilyFacts()
            order.append(name)
        }
    }

    /// The family a sample belongs to: the current TYPE/HELP family when the name is that family's
    /// name or one of its type's sample suffixes, otherwise a family of its own name.
    private func family(of sampleName: String) -> String {
        guard let current, let facts = families[current] else { return sampleName }
        if sampleName == current { return current }
        let suffixes: [String] = switch facts.type {
        case .histogram, .gaugehistogram: ["_bucket", "_sum", "_count", "_created", "_gcount", "_gsum"]
        case .summary: ["_sum", "_count", "_created"]
        case .counter: ["_total", "_created"]
        case .info: ["_info"]
        default: []
        }
        for suffix in suffixes where sampleName == current + suffix { return current }
        return sampleName
    }

    /// Every problem found, sorted as promtool sorts them.
    public func problems() -> [LintProblem] {
        var found: [LintProblem] = []
        for name in order {
            // client_golang's parser drops families without samples, so promtool never sees them.
            guard let facts = families[name], !facts.metrics.isEmpty else { continue }
            func report(_ text: String) { found.append(LintProblem(metric: name, text: text)) }
            if !facts.hasHelp { report("no help text") }
            if let (unit, base) = Self.metricUnit(name), unit != base {
                report("use base unit \"\(base)\" instead of \"\(unit)\"")
            }
            let isCounter = facts.type == .counter
            let isUntyped = facts.type == .untyped || facts.type == .unknown
            if isCounter, !name.hasSuffix("_total") {
                report("counter metrics should have \"_total\" suffix")
            } else if !isCounter, !isUntyped, name.hasSuffix("_total") {
                report("non-counter metrics should not have \"_total\" suffix")
            }
            let isHistogram = facts.type == .histogram || facts.type == .gaugehistogram
            let isSummary = facts.type == .summary
            if !isUntyped {
                if !isHistogram, name.hasSuffix("_bucket") { report("non-histogram metrics should not have \"_bucket\" suffix") }
                if !isHistogram, !isSummary, name.hasSuffix("_count") {
                    report("non-histogram and non-summary metrics should not have \"_count\" suffix")
                }
                if !isHistogram, !isSummary, name.hasSuffix("_sum") {
                    report("non-histogram and non-summary metrics should not have \"_sum\" suffix")
                }
                for labels in facts.metrics {
                    for label in labels {
                        if !isHistogram, label == "le" { report("non-histogram metrics should not have \"le\" label") }
                        if !isSummary, label == "quantile" { report("non-summary metrics should not have \"quantile\" label") }
                    }
                }
            }
            let lowered = name.lowercased()
            for typeName in ["counter", "gauge", "summary", "histogram", "gauge_histogram", "untyped"]
            where lowered.contains("_\(typeName)_") || lowered.hasSuffix("_\(typeName)") {
                report("metric name should not include type '\(typeName)'")
            }
            if name.contains(":") { report("metric names should not contain ':'") }
            if Self.isCamelCase(name) { report("metric names should be written in 'snake_case' not 'camelCase'") }
            for labels in facts.metrics {
                for label in labels where Self.isCamelCase(label) {
                    report("label names should be written in 'snake_case' not 'camelCase'")
                }
            }
            for abbreviation in Self.unitAbbreviations
            where lowered.contains("_\(abbreviation)_") || lowered.hasSuffix("_\(abbreviation)") {
                report("metric names should not contain abbreviated units")
            }
            if facts.duplicate { report("metric not unique") }
        }
        return found.sorted { $0.metric == $1.metric ? $0.text < $1.text : $0.metric < $1.metric }
    }

    static let baseUnits: [String: String] = [
        "amperes": "amperes", "bytes": "bytes", "celsius": "celsius", "grams": "grams",
        "joules": "joules", "kelvin": "kelvin", "meters": "meters", "metres": "metres",
        "seconds": "seconds", "volts": "volts",
        "minutes": "seconds", "hours": "seconds", "days": "seconds", "weeks": "seconds",
        "kelvins": "kelvin", "fahrenheit": "celsius", "rankine": "celsius",
        "inches": "meters", "yards": "meters", "miles": "meters",
        "bits": "bytes", "calories": "joules", "pounds": "grams", "ounces": "grams",
    ]
    static let unitPrefixes = [
        "pico", "nano", "micro", "milli", "centi", "deci", "deca", "hecto", "kilo", "kibi",
        "mega", "mibi", "giga", "gibi", "tera", "tebi", "peta", "pebi",
    ]
    static let unitAbbreviations = ["s", "ms", "us", "ns", "sec", "b", "kb", "mb", "gb", "tb", "pb", "m", "h", "d"]

    /// The first unit word in a metric name and the base unit it should be (promlint's rule).
    static func metricUnit(_ name: String) -> (unit: String, base: String)? {
        for token in name.split(separator: "_").map(String.init) {
            if let base = baseUnits[token] { return (token, base) }
            for prefix in unitPrefixes where token.hasPrefix(prefix) {
                if let base = baseUnits[String(token.dropFirst(prefix.count))] { return (token, base) }
            }
        }
        return nil
    }

    static func isCamelCase(_ name: String) -> Bool {
        var previousLower = false
        for b in name.utf8 {
            if previousLower && b >= 0x41 && b <= 0x5a { return true }
            previousLower = b >= 0x61 && b <= 0x7a
        }
        return false
    }
}
