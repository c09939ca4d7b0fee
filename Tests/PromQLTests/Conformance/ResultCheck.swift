import PromQL

/// Compares a query's result with the rows a script expects; nil when they agree.
enum ResultCheck {
    static func problem(_ result: Value, _ c: EvalCase) -> String? {
        switch result {
        case .scalar(let v):
            guard c.rows.count == 1, let e = ScriptValues.number(c.rows[0]) else { return "scalar \(v), expected \(c.rows)" }
            return ScriptValues.close(v, e) ? nil : "scalar \(v), expected \(e)"
        case .string(let s):
            guard let literal = c.expectedString, case .string(let e)? = try? Parser.parse(literal) else {
                return "string \(s), expected \(c.rows)"
            }
            return s == e ? nil : "string \(s), expected \(e)"
        case .vector(let samples):
            return vectorProblem(samples, c)
        case .matrix(let series):
            let grid: (Int64, Int64)
            switch (c.timing, c.rangeVector) {
            case (.range(let s, _, let d), _): grid = (s, d)
            case (.instant, let r?): grid = (r.start, r.step)
            default: return "a range vector, which the script does not expect"
            }
            return matrixProblem(series, c.rows, start: grid.0, step: grid.1)
        }
    }

    static func vectorProblem(_ samples: [VectorSample], _ c: EvalCase) -> String? {
        var want: [String: Double] = [:]
        var order: [String] = []
        for row in c.rows {
            let (series, tokens) = ScriptValues.splitSeries(row)
            guard let l = ScriptValues.labels(series), let values = ScriptValues.expand(tokens), let v = values.first ?? nil else {
                return "cannot read expected row \(row)"
            }
            want[l.signatureForTest] = v
            order.append(l.signatureForTest)
        }
        guard samples.count == want.count else { return "\(samples.count) samples, expected \(want.count): \(samples.map(\.labels))" }
        if c.ordered, samples.map(\.labels.signatureForTest) != order {
            return "order \(samples.map(\.labels.signatureForTest)), expected \(order)"
        }
        for s in samples {
            guard let e = want[s.labels.signatureForTest] else { return "unexpected series \(s.labels)" }
            if !ScriptValues.close(s.value, e) { return "\(s.labels) = \(s.value), expected \(e)" }
        }
        return nil
    }

    /// Range results: every expected point at its time on the grid, and no other point.
    static func matrixProblem(_ series: [RangeSeries], _ rows: [Substring], start: Int64, step: Int64) -> String? {
        var want: [String: [(Int64, Double)]] = [:]
        for row in rows {
            let (text, tokens) = ScriptValues.splitSeries(row)
            guard let values = ScriptValues.expand(tokens) else { return "cannot read expected row \(row)" }
            // A bare number row is a scalar result: a series without labels.
            let all = ScriptValues.number(text).map { [$0] + values } ?? values
            let key = ScriptValues.number(text) != nil ? "" : (ScriptValues.labels(text)?.signatureForTest ?? "")
            want[key] = all.enumerated().compactMap { k, v in v.map { (start + Int64(k) * step, $0) } }
        }
        let nonEmpty = series.filter { !$0.points.isEmpty }
        if nonEmpty.count != want.count { return "\(nonEmpty.count) series, expected \(want.count): \(nonEmpty.map(\.labels))" }
        for s in nonEmpty {
            guard let e = want[s.labels.signatureForTest] else { return "unexpected series \(s.labels)" }
            let agree = e.count == s.points.count && zip(e, s.points).allSatisfy { $0.0 == $1.t && ScriptValues.close($0.1, $1.v) }
            if !agree { return "\(s.labels) = \(s.points.map { "\($0.v)@\($0.t)" }), expected \(e.map { "\($0.1)@\($0.0)" })" }
        }
        return nil
    }
}
