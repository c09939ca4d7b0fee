extension ExpositionParser {
    /// Reads a line starting with `#`: HELP, TYPE, UNIT, EOF, or (text format only) a free comment.
    /// Returns nil for a comment the caller should skip.
    mutating func parseCommentLine(_ buf: UnsafeBufferPointer<UInt8>) throws(ExpositionError) -> ExpositionEntry? {
        let end = buf.count
        var i = position + 1
        let keywordStart: Int
        if format == .openMetrics {
            guard i < end, buf[i] == 0x20 else {
                throw error(buf, at: i, "expected ' ' after '#', found \(found(buf, i))")
            }
            i += 1
            keywordStart = i
        } else {
            while i < end, isBlank(buf[i]) { i += 1 }
            keywordStart = i
        }
        var keywordEnd = keywordStart
        while keywordEnd < end, buf[keywordEnd] >= 0x41, buf[keywordEnd] <= 0x5a { keywordEnd += 1 }
        let keyword = buf[keywordStart..<keywordEnd]
        let entry: ExpositionEntry
        if keyword.elementsEqual("HELP".utf8) {
            entry = .help
        } else if keyword.elementsEqual("TYPE".utf8) {
            entry = .type
        } else if keyword.elementsEqual("UNIT".utf8), format == .openMetrics {
            entry = .unit
        } else if keyword.elementsEqual("EOF".utf8), format == .openMetrics {
            try parseEOF(buf, after: keywordEnd)
            return nil
        } else if format == .openMetrics {
            throw error(buf, at: keywordStart, "expected HELP, TYPE, UNIT or EOF after '# ', found \(found(buf, keywordStart))")
        } else {
            skipToNextLine(buf)
            return .comment
        }
        // Text format: "# HELPfoo" is just a comment.
        guard keywordEnd < end, isBlank(buf[keywordEnd]) else {
            if format == .prometheusText, keywordEnd < end, buf[keywordEnd] != UInt8(ascii: "\n") {
                skipToNextLine(buf)
                return .comment
            }
            throw error(buf, at: keywordEnd, "expected ' ' and a metric name after \(entry == .help ? "HELP" : entry == .type ? "TYPE" : "UNIT"), found \(found(buf, keywordEnd))")
        }
        i = keywordEnd + 1
        if format == .prometheusText { while i < end, isBlank(buf[i]) { i += 1 } }
        let nameStart = i
        guard i < end, isMetricNameStart(buf[i]) else {
            throw error(buf, at: i, "expected a metric name, found \(found(buf, i))")
        }
        i += 1
        while i < end, isMetricNameChar(buf[i]) { i += 1 }
        metricName = nameStart..<i
        switch entry {
        case .help: try parseHelpText(buf, from: i)
        case .type: try parseTypeName(buf, from: i)
        default: try parseUnitText(buf, from: i)
        }
        return entry
    }

    private mutating func parseHelpText(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(ExpositionError) {
        let end = buf.count
        var i = start
        if i < end, buf[i] != UInt8(ascii: "\n") {
            guard isBlank(buf[i]) else {
                throw error(buf, at: i, "expected ' ' after the metric name, found \(found(buf, i))")
            }
            i += 1
            if format == .prometheusText { while i < end, isBlank(buf[i]) { i += 1 } }
        }
        let textStart = i
        var escaped = false
        var ascii: UInt8 = 0
        while i < end, buf[i] != UInt8(ascii: "\n") {
            let b = buf[i]
            ascii |= b
            if b == UInt8(ascii: "\\") {
                escaped = true
                i += 1
                guard i < end, buf[i] != UInt8(ascii: "\n") else {
                    throw error(buf, at: i, "expected an escaped character after '\\' in HELP text, found \(found(buf, i))")
                }
            }
            i += 1
        }
        if ascii & 0x80 != 0, !isValidUTF8(buf, textStart..<i) {
            throw error(buf, at: textStart, "HELP text is not valid UTF-8")
        }
        text = textStart..<i
        textIsEscaped = escaped
        position = i
        if i < end { advanceLine() }
    }

    private mutating func parseTypeName(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(ExpositionError) {
        let end = buf.count
        var i = start
        guard i < end, isBlank(buf[i]) else {
            throw error(buf, at: i, "expected ' ' and a type after the metric name, found \(found(buf, i))")
        }
        while i < end, isBlank(buf[i]) { i += 1 }
        let typeStart = i
        while i < end, isNameChar(buf[i]) { i += 1 }
        guard let type = MetricType(bytes: buf, typeStart..<i), format == .openMetrics ? type != .untyped : true else {
            throw error(buf, at: typeStart, "expected a metric type (counter, gauge, histogram, gaugehistogram, summary, info, stateset, unknown\(format == .prometheusText ? ", untyped" : "")), found \(quoted(buf, typeStart..<max(i, min(typeStart + 1, end))))")
        }
        metricType = type
        try expectEndOfLine(buf, from: i)
    }

    private mutating func parseUnitText(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(ExpositionError) {
        let end = buf.count
        var i = start
        if i < end, buf[i] == 0x20 { i += 1 }
        let unitStart = i
        while i < end, isNameChar(buf[i]) || buf[i] == 0x3a { i += 1 }
        text = unitStart..<i
        let name = buf[metricName]
        if i > unitStart {
            // OpenMetrics: the family name must end in "_<unit>".
            let unit = buf[unitStart..<i]
            let suffixOK = name.count > unit.count + 1
                && name.suffix(unit.count).elementsEqual(unit)
                && name[name.endIndex - unit.count - 1] == UInt8(ascii: "_")
            guard suffixOK else {
                throw error(buf, at: unitStart, "unit \(quoted(buf, unitStart..<i)) is not a suffix of the metric name \(quoted(buf, metricName))")
            }
        }
        try expectEndOfLine(buf, from: i)
    }

    private mutating func parseEOF(_ buf: UnsafeBufferPointer<UInt8>, after keywordEnd: Int) throws(ExpositionError) {
        let end = buf.count
        var i = keywordEnd
        if i < end, buf[i] == UInt8(ascii: "\n") { i += 1 }
        guard i == end else {
            throw error(buf, at: i, "unexpected data after \"# EOF\"")
        }
        sawEOF = true
        position = end
    }

    mutating func expectEndOfLine(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(ExpositionError) {
        let end = buf.count
        var i = start
        while i < end, isBlank(buf[i]) { i += 1 }
        guard i >= end || buf[i] == UInt8(ascii: "\n") else {
            throw error(buf, at: i, "expected end of line, found \(found(buf, i))")
        }
        position = i
        if i < end { advanceLine() }
    }

    mutating func skipToNextLine(_ buf: UnsafeBufferPointer<UInt8>) {
        let end = buf.count
        var i = position
        while i < end, buf[i] != UInt8(ascii: "\n") { i += 1 }
        position = i
        if i < end { advanceLine() }
    }

    func quoted(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let clamped = range.clamped(to: 0..<buf.count)
        if clamped.isEmpty { return found(buf, range.lowerBound) }
        let text = String(decoding: buf[clamped.prefix(40)], as: UTF8.self)
        return "\"\(text)\(clamped.count > 40 ? "…" : "")\""
    }
}
