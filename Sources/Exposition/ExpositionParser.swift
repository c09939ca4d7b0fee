/// A pull parser over the bytes of one exposition body, in the text 0.0.4 or OpenMetrics 1.0 format.
///
/// It never copies: names, label values and help text are byte ranges into `bytes`, valid until
/// the next call to `next()`. The label span buffer is reused, so a steady-state parse
/// allocates nothing per sample. Malformed input throws an `ExpositionError` naming the line and
/// column; the parser never reads outside `bytes`.
public struct ExpositionParser: Sendable {
    public let bytes: [UInt8]
    public let format: ExpositionFormat

    var position = 0
    var line = 1
    var lineStart = 0
    var finished = false
    var sawEOF = false

    /// The metric name of the current sample, or the family named by a HELP/TYPE/UNIT line.
    public internal(set) var metricName: Range<Int> = 0..<0
    /// The raw text of the current sample's series, `name{labels}` exactly as exposed: a cache key
    /// that lets a steady-state scrape skip label parsing.
    public internal(set) var series: Range<Int> = 0..<0
    public internal(set) var labels: [LabelSpan] = []
    public internal(set) var value: Double = 0
    public internal(set) var timestamp: Int64? = nil
    public internal(set) var metricType: MetricType = .unknown
    /// The text of a HELP line (still escaped, see `helpText()`) or the unit of a UNIT line.
    public internal(set) var text: Range<Int> = 0..<0
    var textIsEscaped = false

    /// Whether the current sample carries an OpenMetrics exemplar.
    public internal(set) var hasExemplar = false
    public internal(set) var exemplarLabels: [LabelSpan] = []
    public internal(set) var exemplarValue: Double = 0
    public internal(set) var exemplarTimestamp: Int64? = nil

    public init(bytes: [UInt8], format: ExpositionFormat) {
        self.bytes = bytes
        self.format = format
        labels.reserveCapacity(16)
    }

    public init(text: String, format: ExpositionFormat) {
        self.init(bytes: Array(text.utf8), format: format)
    }

    /// Reads the next entry; `nil` at the end of the input.
    public mutating func next() throws(ExpositionError) -> ExpositionEntry? {
        try bytes.withUnsafeBufferPointer { (buf) throws(ExpositionError) -> ExpositionEntry? in
            try nextEntry(buf)
        }
    }

    /// The line of the current entry, for callers that report their own errors about a sample.
    public internal(set) var entryLine = 1

    mutating func nextEntry(_ buf: UnsafeBufferPointer<UInt8>) throws(ExpositionError) -> ExpositionEntry? {
        while !finished {
            let end = buf.count
            if position >= end {
                finished = true
                if format == .openMetrics && !sawEOF {
                    throw error(buf, at: position, "expected \"# EOF\" at the end of an OpenMetrics exposition")
                }
                return nil
            }
            if sawEOF {
                throw error(buf, at: position, "unexpected data after \"# EOF\"")
            }
            lineStart = position
            entryLine = line
            let first = buf[position]
            if first == UInt8(ascii: "\n") {
                if format == .openMetrics {
                    throw error(buf, at: position, "unexpected empty line in OpenMetrics exposition")
                }
                advanceLine()
                continue
            }
            if first == UInt8(ascii: "#") {
                if let entry = try parseCommentLine(buf) { return entry }
                continue
            }
            if format == .prometheusText, isBlank(first) {
                // Lines of only blanks are allowed in the text format; leading blanks before a sample too.
                var i = position
                while i < end, isBlank(buf[i]) { i += 1 }
                if i >= end || buf[i] == UInt8(ascii: "\n") {
                    position = i
                    if i < end { advanceLine() }
                    continue
                }
                if buf[i] == UInt8(ascii: "#") {
                    position = i
                    if let entry = try parseCommentLine(buf) { return entry }
                    continue
                }
                position = i
            }
            try parseSampleLine(buf)
            return .sample
        }
        return nil
    }

    mutating func advanceLine() {
        position += 1
        line += 1
        lineStart = position
    }

    func error(_ buf: UnsafeBufferPointer<UInt8>, at offset: Int, _ message: String) -> ExpositionError {
        ExpositionError(line: line, column: offset - lineStart + 1, message: message)
    }

    /// Describes the byte found where something else was expected.
    func found(_ buf: UnsafeBufferPointer<UInt8>, _ offset: Int) -> String {
        guard offset < buf.count else { return "end of input" }
        let b = buf[offset]
        switch b {
        case UInt8(ascii: "\n"): return "end of line"
        case 0x20...0x7e: return "'\(Character(Unicode.Scalar(b)))'"
        default: return "byte 0x\(String(b, radix: 16))"
        }
    }
}

@inline(__always) func isBlank(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 }
@inline(__always) func isNameStart(_ b: UInt8) -> Bool {
    (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b == 0x5f
}
@inline(__always) func isNameChar(_ b: UInt8) -> Bool { isNameStart(b) || (b >= 0x30 && b <= 0x39) }
@inline(__always) func isMetricNameStart(_ b: UInt8) -> Bool { isNameStart(b) || b == 0x3a }
@inline(__always) func isMetricNameChar(_ b: UInt8) -> Bool { isNameChar(b) || b == 0x3a }
