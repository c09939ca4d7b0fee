extension ExpositionParser {
    /// Reads `name{labels} value [timestamp] [# {exemplar labels} value [timestamp]]`.
    mutating func parseSampleLine(_ buf: UnsafeBufferPointer<UInt8>) throws(ExpositionError) {
        let end = buf.count
        var i = position
        let nameStart = i
        guard isMetricNameStart(buf[i]) else {
            throw error(buf, at: i, "expected a metric name, found \(found(buf, i))")
        }
        i += 1
        while i < end, isMetricNameChar(buf[i]) { i += 1 }
        metricName = nameStart..<i
        labels.removeAll(keepingCapacity: true)
        var j = i
        if format == .prometheusText { while j < end, isBlank(buf[j]) { j += 1 } }
        if j < end, buf[j] == UInt8(ascii: "{") {
            i = try parseLabelSet(buf, from: j + 1, exemplar: false)
        }
        series = nameStart..<i
        let afterSeries = i
        while i < end, isBlank(buf[i]) { i += 1 }
        guard i > afterSeries else {
            throw error(buf, at: i, i < end && buf[i] != UInt8(ascii: "\n")
                ? "expected ' ' before the value, found \(found(buf, i))"
                : "expected a value after the series, found \(found(buf, i))")
        }
        let valueStart = i
        while i < end, !isBlank(buf[i]), buf[i] != UInt8(ascii: "\n") { i += 1 }
        guard i > valueStart else {
            throw error(buf, at: valueStart, "expected a value after the series, found \(found(buf, valueStart))")
        }
        guard let parsed = parseFloat(buf, valueStart..<i) else {
            throw error(buf, at: valueStart, "expected a float value, found \(quoted(buf, valueStart..<i))")
        }
        value = parsed
        timestamp = nil
        hasExemplar = false
        while i < end, isBlank(buf[i]) { i += 1 }
        if i < end, buf[i] != UInt8(ascii: "\n"), buf[i] != UInt8(ascii: "#") {
            let tsStart = i
            while i < end, !isBlank(buf[i]), buf[i] != UInt8(ascii: "\n") { i += 1 }
            timestamp = try parseTimestamp(buf, tsStart..<i)
            while i < end, isBlank(buf[i]) { i += 1 }
        }
        if i < end, buf[i] == UInt8(ascii: "#") {
            guard format == .openMetrics else {
                throw error(buf, at: i, "expected a timestamp or end of line, found '#' (exemplars need OpenMetrics)")
            }
            i = try parseExemplar(buf, from: i)
        }
        try expectEndOfLine(buf, from: i)
    }

    /// Reads label pairs after `{` up to and including `}`; returns the offset after `}`.
    /// Appends to `labels` (or `exemplarLabels`) in place: passing the array inout from a
    /// non-mutating method would copy `self` and force a copy-on-write allocation per sample.
    mutating func parseLabelSet(
        _ buf: UnsafeBufferPointer<UInt8>, from start: Int, exemplar: Bool
    ) throws(ExpositionError) -> Int {
        let end = buf.count
        var i = start
        while true {
            while i < end, isBlank(buf[i]) { i += 1 }
            guard i < end else { throw error(buf, at: i, "expected a label name or '}', found end of input") }
            if buf[i] == UInt8(ascii: "}") { return i + 1 }
            let nameStart = i
            guard isNameStart(buf[i]) else {
                throw error(buf, at: i, "expected a label name or '}', found \(found(buf, i))")
            }
            i += 1
            while i < end, isNameChar(buf[i]) { i += 1 }
            let name = nameStart..<i
            while i < end, isBlank(buf[i]) { i += 1 }
            guard i < end, buf[i] == UInt8(ascii: "=") else {
                throw error(buf, at: i, "expected '=' after label name \(quoted(buf, name)), found \(found(buf, i))")
            }
            i += 1
            while i < end, isBlank(buf[i]) { i += 1 }
            guard i < end, buf[i] == UInt8(ascii: "\"") else {
                throw error(buf, at: i, "expected '\"' to open the value of label \(quoted(buf, name)), found \(found(buf, i))")
            }
            i += 1
            let valueStart = i
            var escaped = false
            var ascii: UInt8 = 0
            while true {
                guard i < end else {
                    throw error(buf, at: i, "expected '\"' to close the value of label \(quoted(buf, name)), found end of input")
                }
                let b = buf[i]
                if b == UInt8(ascii: "\"") { break }
                if b == UInt8(ascii: "\n") {
                    throw error(buf, at: i, "expected '\"' to close the value of label \(quoted(buf, name)), found end of line")
                }
                ascii |= b
                if b == UInt8(ascii: "\\") {
                    escaped = true
                    i += 1
                    guard i < end, buf[i] != UInt8(ascii: "\n") else {
                        throw error(buf, at: i, "expected an escaped character after '\\' in the value of label \(quoted(buf, name)), found \(found(buf, i))")
                    }
                }
                i += 1
            }
            let value = valueStart..<i
            if ascii & 0x80 != 0, !isValidUTF8(buf, value) {
                throw error(buf, at: valueStart, "the value of label \(quoted(buf, name)) is not valid UTF-8")
            }
            let span = LabelSpan(name: name, value: value, isEscaped: escaped)
            if exemplar { exemplarLabels.append(span) } else { labels.append(span) }
            i += 1
            while i < end, isBlank(buf[i]) { i += 1 }
            guard i < end else { throw error(buf, at: i, "expected ',' or '}' after a label value, found end of input") }
            if buf[i] == UInt8(ascii: ",") {
                i += 1
                continue
            }
            guard buf[i] == UInt8(ascii: "}") else {
                throw error(buf, at: i, "expected ',' or '}' after a label value, found \(found(buf, i))")
            }
            return i + 1
        }
    }

    func parseTimestamp(_ buf: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) throws(ExpositionError) -> Int64 {
        if format == .openMetrics {
            // OpenMetrics timestamps are float seconds; Prometheus truncates them to milliseconds.
            guard let seconds = parseFloat(buf, range), seconds.isFinite else {
                throw error(buf, at: range.lowerBound, "expected a timestamp in seconds, found \(quoted(buf, range))")
            }
            let ms = seconds * 1000
            guard ms > -9.2e18, ms < 9.2e18 else {
                throw error(buf, at: range.lowerBound, "timestamp \(quoted(buf, range)) is out of range")
            }
            return Int64(ms)
        }
        guard let ms = parseInt64(buf, range) else {
            throw error(buf, at: range.lowerBound, "expected an integer timestamp in milliseconds, found \(quoted(buf, range))")
        }
        return ms
    }

    private mutating func parseExemplar(_ buf: UnsafeBufferPointer<UInt8>, from start: Int) throws(ExpositionError) -> Int {
        let end = buf.count
        var i = start + 1
        guard i < end, buf[i] == 0x20 else { throw error(buf, at: i, "expected ' ' after '#' of an exemplar, found \(found(buf, i))") }
        i += 1
        guard i < end, buf[i] == UInt8(ascii: "{") else {
            throw error(buf, at: i, "expected '{' to open the exemplar's labels, found \(found(buf, i))")
        }
        exemplarLabels.removeAll(keepingCapacity: true)
        i = try parseLabelSet(buf, from: i + 1, exemplar: true)
        var runeCount = 0
        for span in exemplarLabels { runeCount += span.name.count + span.value.count }
        guard runeCount <= 128 else {
            throw error(buf, at: start, "exemplar labels are \(runeCount) characters long, more than OpenMetrics' 128")
        }
        guard i < end, isBlank(buf[i]) else { throw error(buf, at: i, "expected ' ' and the exemplar's value, found \(found(buf, i))") }
        while i < end, isBlank(buf[i]) { i += 1 }
        let valueStart = i
        while i < end, !isBlank(buf[i]), buf[i] != UInt8(ascii: "\n") { i += 1 }
        guard let value = parseFloat(buf, valueStart..<i) else {
            throw error(buf, at: valueStart, "expected the exemplar's float value, found \(quoted(buf, valueStart..<i))")
        }
        exemplarValue = value
        exemplarTimestamp = nil
        while i < end, isBlank(buf[i]) { i += 1 }
        if i < end, buf[i] != UInt8(ascii: "\n") {
            let tsStart = i
            while i < end, !isBlank(buf[i]), buf[i] != UInt8(ascii: "\n") { i += 1 }
            exemplarTimestamp = try parseTimestamp(buf, tsStart..<i)
        }
        hasExemplar = true
        return i
    }
}
