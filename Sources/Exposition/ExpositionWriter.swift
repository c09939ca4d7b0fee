/// Writes metric families in the text 0.0.4 or OpenMetrics 1.0 format into a reused byte buffer,
/// escaping and formatting numbers exactly as Prometheus's own writers do.
public struct ExpositionWriter: Sendable {
    public let format: ExpositionFormat
    /// The bytes written so far.
    public var bytes: [UInt8] = []

    public init(format: ExpositionFormat, capacity: Int = 4096) {
        self.format = format
        bytes.reserveCapacity(capacity)
    }

    /// Empties the buffer, keeping its capacity.
    public mutating func reset() { bytes.removeAll(keepingCapacity: true) }

    public mutating func writeHelp(_ name: String, _ help: String) {
        bytes.append(contentsOf: "# HELP ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x20)
        appendEscaped(help, quotes: format == .openMetrics)
        bytes.append(UInt8(ascii: "\n"))
    }

    public mutating func writeType(_ name: String, _ type: MetricType) {
        bytes.append(contentsOf: "# TYPE ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x20)
        let spelled: MetricType = switch (format, type) {
        case (.openMetrics, .untyped): .unknown
        case (.prometheusText, .unknown), (.prometheusText, .info), (.prometheusText, .stateset): .untyped
        case (.prometheusText, .gaugehistogram): .histogram
        default: type
        }
        bytes.append(contentsOf: spelled.rawValue.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// `# UNIT` (OpenMetrics only; the text format has no unit line, so nothing is written there).
    public mutating func writeUnit(_ name: String, _ unit: String) {
        guard format == .openMetrics else { return }
        bytes.append(contentsOf: "# UNIT ".utf8)
        bytes.append(contentsOf: name.utf8)
        bytes.append(0x20)
        bytes.append(contentsOf: unit.utf8)
        bytes.append(UInt8(ascii: "\n"))
    }

    /// One sample line. `labels` exclude the metric name; an empty set writes no braces.
    public mutating func writeSample<Pairs: Sequence<(String, String)>>(
        _ name: String, labels: Pairs, value: Double, timestampMs: Int64? = nil
    ) {
        bytes.append(contentsOf: name.utf8)
        var first = true
        for (labelName, labelValue) in labels {
            bytes.append(first ? UInt8(ascii: "{") : UInt8(ascii: ","))
            first = false
            bytes.append(contentsOf: labelName.utf8)
            bytes.append(contentsOf: "=\"".utf8)
            appendEscaped(labelValue, quotes: true)
            bytes.append(UInt8(ascii: "\""))
        }
        if !first { bytes.append(UInt8(ascii: "}")) }
        bytes.append(0x20)
        appendValue(value)
        if let timestampMs {
            bytes.append(0x20)
            appendTimestamp(timestampMs)
        }
        bytes.append(UInt8(ascii: "\n"))
    }

    /// The `# EOF` that ends an OpenMetrics exposition (nothing for the text format).
    public mutating func writeEOF() {
        guard format == .openMetrics else { return }
        bytes.append(contentsOf: "# EOF\n".utf8)
    }

    mutating func appendValue(_ value: Double) {
        let start = bytes.count
        appendGoFloat(value, to: &bytes)
        // OpenMetrics wants a float to look like one: "1.0", not "1", as client_golang writes it.
        guard format == .openMetrics, value.isFinite else { return }
        for b in bytes[start...] where b == UInt8(ascii: ".") || b == UInt8(ascii: "e") { return }
        bytes.append(contentsOf: ".0".utf8)
    }

    mutating func appendTimestamp(_ ms: Int64) {
        guard format == .openMetrics else {
            appendInteger(ms, to: &bytes)
            return
        }
        // Seconds with up to three decimals, exact for any millisecond timestamp.
        let magnitude = ms.magnitude
        if ms < 0 { bytes.append(UInt8(ascii: "-")) }
        appendInteger(Int64(magnitude / 1000), to: &bytes)
        var fraction = Int(magnitude % 1000)
        guard fraction != 0 else { return }
        bytes.append(UInt8(ascii: "."))
        var divisor = 100
        while fraction > 0 {
            bytes.append(UInt8(fraction / divisor) + 0x30)
            fraction %= divisor
            divisor /= 10
        }
    }

    mutating func appendEscaped(_ text: String, quotes: Bool) {
        for b in text.utf8 {
            switch b {
            case UInt8(ascii: "\\"): bytes.append(contentsOf: #"\\"#.utf8)
            case UInt8(ascii: "\n"): bytes.append(contentsOf: #"\n"#.utf8)
            case UInt8(ascii: "\"") where quotes: bytes.append(contentsOf: #"\""#.utf8)
            default: bytes.append(b)
            }
        }
    }
}
