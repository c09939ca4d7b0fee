import PromQL

/// One `eval` command of a test script: the query, when it runs, and what it must give.
struct EvalCase {
    enum Timing {
        case instant(Int64)
        case range(start: Int64, end: Int64, step: Int64)
    }

    let header: String
    let query: String
    let timing: Timing
    var expectFail = false
    var failMessage: String? = nil
    var ordered = false
    var expectedString: String? = nil
    /// `expect range vector from … to … step …`: an instant query that returns a range vector.
    var rangeVector: (start: Int64, end: Int64, step: Int64)? = nil
    /// `expect warn` / `expect info` (with an optional `msg:`), `expect no_warn` / `expect no_info`.
    var warn: Expectation = .unspecified
    var info: Expectation = .unspecified

    enum Expectation: Equatable {
        case unspecified, none, some(message: String?)
    }
    var rows: [Substring] = []

    /// Reads the header `eval instant at T Q` or `eval range from S to E step D Q` and the lines under it.
    init?(header: String, lines: [String]) {
        let words = header.split(separator: " ", omittingEmptySubsequences: true)
        guard words.count >= 4 else { return nil }
        self.header = header
        if words[1] == "instant", words[2] == "at", let t = ScriptValues.milliseconds(words[3]) {
            timing = .instant(t)
            query = words.dropFirst(4).joined(separator: " ")
        } else if words[1] == "range", words.count >= 9, let s = ScriptValues.milliseconds(words[3]),
                  let e = ScriptValues.milliseconds(words[5]), let d = ScriptValues.milliseconds(words[7]) {
            timing = .range(start: s, end: e, step: d)
            query = words.dropFirst(8).joined(separator: " ")
        } else {
            return nil
        }
        let command = words[0]
        expectFail = command == "eval_fail"
        ordered = command == "eval_ordered"
        if command == "eval_warn" { warn = .some(message: nil) }
        if command == "eval_info" { info = .some(message: nil) }
        for line in lines {
            if line.hasPrefix("#") { continue }
            guard line.hasPrefix("expect ") else {
                rows.append(Substring(line))
                continue
            }
            let rest = line.dropFirst("expect ".count)
            if rest.hasPrefix("fail") {
                expectFail = true
                if let r = rest.range(of: "msg:") { failMessage = rest[r.upperBound...].trimmingCharacters(in: .whitespaces) }
            } else if rest.hasPrefix("ordered") {
                ordered = true
            } else if rest.hasPrefix("string ") {
                expectedString = String(rest.dropFirst("string ".count))
            } else if rest.hasPrefix("warn") || rest.hasPrefix("info") {
                let message = rest.range(of: "msg:").map { rest[$0.upperBound...].trimmingCharacters(in: .whitespaces) }
                if rest.hasPrefix("warn") { warn = .some(message: message) } else { info = .some(message: message) }
            } else if rest.hasPrefix("no_warn") {
                warn = .none
            } else if rest.hasPrefix("no_info") {
                info = .none
            } else if rest.hasPrefix("range vector ") {
                let w = rest.split(separator: " ")
                if w.count >= 8, let s = ScriptValues.milliseconds(w[3]), let e = ScriptValues.milliseconds(w[5]),
                   let d = ScriptValues.milliseconds(w[7]) {
                    rangeVector = (s, e, d)
                }
            }
        }
    }
}
