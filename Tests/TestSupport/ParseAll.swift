import Exposition

/// One parsed sample, decoded to plain values for assertions.
public struct ParsedSample: Equatable, Sendable, CustomStringConvertible {
    public var labels: [String: String]
    public var value: Double
    public var timestamp: Int64?

    public init(labels: [String: String], value: Double, timestamp: Int64?) {
        self.labels = labels
        self.value = value
        self.timestamp = timestamp
    }

    public var description: String { "\(labels) \(value) \(timestamp.map(String.init) ?? "")" }

    public static func == (a: ParsedSample, b: ParsedSample) -> Bool {
        a.labels == b.labels && a.timestamp == b.timestamp
            && (a.value == b.value || a.value.bitPattern == b.value.bitPattern)
    }
}

/// Parses a whole body into samples, or throws the parser's error.
public func parseAll(_ bytes: [UInt8], _ format: ExpositionFormat) throws(ExpositionError) -> [ParsedSample] {
    var parser = ExpositionParser(bytes: bytes, format: format)
    var out: [ParsedSample] = []
    while let entry = try parser.next() {
        guard entry == .sample else { continue }
        var labels: [String: String] = [:]
        for (n, v) in parser.labelPairs() { labels[n] = v }
        out.append(ParsedSample(labels: labels, value: parser.value, timestamp: parser.timestamp))
    }
    return out
}

public func parseAll(_ text: String, _ format: ExpositionFormat) throws(ExpositionError) -> [ParsedSample] {
    try parseAll(Array(text.utf8), format)
}

/// The parse error for `text`, or nil when it parses.
public func parseError(_ text: String, _ format: ExpositionFormat) -> ExpositionError? {
    parseError(Array(text.utf8), format)
}

public func parseError(_ bytes: [UInt8], _ format: ExpositionFormat) -> ExpositionError? {
    do {
        _ = try parseAll(bytes, format)
        return nil
    } catch {
        return error
    }
}
