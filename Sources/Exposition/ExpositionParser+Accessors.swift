extension ExpositionParser {
    /// The metric name of the current entry as a String.
    public var metricNameString: String { string(metricName) }

    /// The name of label `index` of the current sample.
    public func labelName(_ index: Int) -> String { string(labels[index].name) }

    /// The value of label `index` of the current sample, unescaped.
    public func labelValue(_ index: Int) -> String { value(of: labels[index]) }

    /// The current sample's labels, metric name first as `__name__`, in exposition order.
    public func labelPairs() -> [(name: String, value: String)] {
        var pairs = [(name: "__name__", value: metricNameString)]
        for span in labels { pairs.append((string(span.name), value(of: span))) }
        return pairs
    }

    /// The current exemplar's labels, unescaped.
    public func exemplarLabelPairs() -> [(name: String, value: String)] {
        exemplarLabels.map { (string($0.name), value(of: $0)) }
    }

    /// The unescaped text of the current HELP line.
    public func helpText() -> String {
        guard textIsEscaped else { return string(text) }
        return bytes.withUnsafeBufferPointer { buf in
            unescape(buf, text, quotes: format == .openMetrics)
        }
    }

    /// The unit of the current UNIT line.
    public var unitText: String { string(text) }

    /// The unescaped value a label span points at.
    public func value(of span: LabelSpan) -> String {
        guard span.isEscaped else { return string(span.value) }
        return bytes.withUnsafeBufferPointer { buf in unescape(buf, span.value, quotes: true) }
    }

    /// The bytes of `range` as a String (the parser has already checked they are UTF-8).
    public func string(_ range: Range<Int>) -> String {
        bytes.withUnsafeBufferPointer { buf in String(decoding: buf[range], as: UTF8.self) }
    }
}

/// Replaces `\\`, `\n` and (where allowed) `\"`; any other escape is kept as written, as Prometheus does.
func unescape(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, quotes: Bool) -> String {
    var out: [UInt8] = []
    out.reserveCapacity(range.count)
    var i = range.lowerBound
    while i < range.upperBound {
        let b = buf[i]
        if b == UInt8(ascii: "\\"), i + 1 < range.upperBound {
            let n = buf[i + 1]
            switch n {
            case UInt8(ascii: "\\"): out.append(n); i += 2; continue
            case UInt8(ascii: "n"): out.append(UInt8(ascii: "\n")); i += 2; continue
            case UInt8(ascii: "\"") where quotes: out.append(n); i += 2; continue
            default: break
            }
        }
        out.append(b)
        i += 1
    }
    return String(decoding: out, as: UTF8.self)
}
