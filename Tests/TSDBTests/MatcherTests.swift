import Testing
import TestSupport
@testable import TSDB

@Suite struct MatcherTests {
    let head: Head
    let querier: HeadQuerier

    init() throws {
        head = Head(retentionMs: 1 << 40)
        let appender = HeadAppender(head: head, wal: nil)
        let series: [[String: String]] = [
            ["__name__": "up", "job": "kueue", "instance": "a:8443"],
            ["__name__": "up", "job": "vllm", "instance": "b:8000"],
            ["__name__": "up", "job": "modelmesh", "instance": "c:2112", "env": "prod"],
            ["__name__": "requests_total", "job": "vllm", "instance": "b:8000", "env": ""],
            ["__name__": "requests_total", "job": "vllm-canary", "instance": "d\nline"],
        ]
        for (i, labels) in series.enumerated() { try appender.append(Labels(labels), 1000, Double(i)) }
        appender.commit()
        querier = HeadQuerier(head: head)
    }

    func select(_ matchers: LabelMatcher...) -> [String] {
        querier.select(matchers, minTime: 0, maxTime: 2000).map { "\($0.labels["__name__"]!)/\($0.labels["job"]!)" }.sorted()
    }

    @Test func equalAndNotEqual() throws {
        #expect(select(.equal("job", "vllm")) == ["requests_total/vllm", "up/vllm"])
        #expect(select(.equal("__name__", "up"), try LabelMatcher(.notEqual, "job", "vllm")) == ["up/kueue", "up/modelmesh"])
    }

    @Test func emptyStringMatchesAbsentLabels() throws {
        #expect(select(.equal("__name__", "up"), .equal("env", "")) == ["up/kueue", "up/vllm"])
        #expect(select(try LabelMatcher(.notEqual, "env", "")) == ["up/modelmesh"])
        #expect(select(.equal("__name__", "up"), try LabelMatcher(.regexMatch, "env", "|prod")).count == 3)
        #expect(select(.equal("__name__", "up"), try LabelMatcher(.notRegexMatch, "env", ".+")) == ["up/kueue", "up/vllm"])
    }

    @Test func regexIsFullyAnchored() throws {
        #expect(select(try LabelMatcher(.regexMatch, "job", "vllm")) == ["requests_total/vllm", "up/vllm"])
        #expect(select(try LabelMatcher(.regexMatch, "job", "vll")) == [])
        #expect(select(try LabelMatcher(.regexMatch, "job", "v.*")) == ["requests_total/vllm", "requests_total/vllm-canary", "up/vllm"])
        #expect(select(try LabelMatcher(.regexMatch, "job", "(kueue|model)mesh|kueue")) == ["up/kueue", "up/modelmesh"])
        #expect(select(try LabelMatcher(.notRegexMatch, "job", "vllm.*"), .equal("__name__", "up")) == ["up/kueue", "up/modelmesh"])
        #expect(select(try LabelMatcher(.regexMatch, "job", "[a-k]u(eu)e")) == ["up/kueue"])
    }

    @Test func dotMatchesNewlinesAsInPrometheus() throws {
        #expect(select(try LabelMatcher(.regexMatch, "instance", "d.line")) == ["requests_total/vllm-canary"])
        #expect(select(try LabelMatcher(.regexMatch, "instance", "d(.)l[i]ne")) == ["requests_total/vllm-canary"])
    }

    @Test func fastPathsAgreeWithTheEngine() throws {
        let values = ["", "a", "ab", "abc", "b", "xabcx", "abcabc", "ä", "a\nb"]
        let patterns = [".*", ".+", "abc", "a|b|abc", "ab.*", "ab.+", ".*bc", ".*bc.*"]
        for p in patterns {
            let fast = try RegexMatcher(p)
            if case .engine = fast.strategy { Issue.record("\(p) should take a fast path") }
            // The same pattern wrapped in a no-op group defeats the fast paths and runs the engine.
            let slow = try RegexMatcher("(?:\(p))")
            if case .engine = slow.strategy {} else { Issue.record("(?:\(p)) should use the engine") }
            for v in values { #expect(fast.matches(v) == slow.matches(v), "\(p) on \(v.debugDescription)") }
        }
    }

    @Test func re2RejectsWhatSwiftWouldAccept() {
        for p in ["(a)\\1", "a(?=b)", "a(?!b)", "(?<=a)b", "a*+", "(?>a)"] {
            #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "job", p) }
        }
        #expect(throws: MatcherError.self) { try LabelMatcher(.regexMatch, "job", "(unclosed") }
    }

    @Test func labelNamesAndValues() throws {
        #expect(querier.labelNames([]) == ["__name__", "env", "instance", "job"])
        #expect(querier.labelValues("job", []) == ["kueue", "modelmesh", "vllm", "vllm-canary"])
        #expect(querier.labelValues("job", [.equal("__name__", "requests_total")]) == ["vllm", "vllm-canary"])
        #expect(querier.labelNames([.equal("job", "kueue")]) == ["__name__", "instance", "job"])
    }
}
