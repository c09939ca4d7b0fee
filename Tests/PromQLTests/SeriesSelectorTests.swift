import PromQL
import Testing
import TSDB

@Suite struct SeriesSelectorTests {
    @Test func parsesEveryMatcherKindAndQuoting() throws {
        let s = try SeriesSelector(parsing: #"kueue_pending_workloads{cluster_queue=~"team-.*", status!="inadmissible", x='a\'b', y=`c\d`,}"#)
        #expect(s.matchers.map(\.description) == [
            #"__name__="kueue_pending_workloads""#, #"cluster_queue=~"team-.*""#, #"status!="inadmissible""#, #"x="a'b""#, #"y="c\\d""#,
        ])
        let byName = try SeriesSelector(parsing: #"{__name__=~"vllm:.*", model_name!~"test"}"#)
        #expect(byName.matchers.count == 2)
        #expect(try SeriesSelector(parsing: "up").matchers.map(\.description) == [#"__name__="up""#])
    }

    @Test func rejectsWhatPrometheusRejects() {
        let cases: [(String, String)] = [
            (#"{job=~".*"}"#, "at least one non-empty matcher"),
            (#"{job=""}"#, "at least one non-empty matcher"),
            ("", "expected a series selector"),
            (#"up{job="a""#, "unexpected end of input inside braces"),
            (#"up{job~"a"}"#, "expected one of =, !=, =~, !~"),
            (#"up{job="a"} offset 5m"#, "unexpected input after the selector"),
            (#"up{job=~"(a"}"#, "invalid regular expression"),
            (#"up{job="a\qb"}"#, "unknown escape sequence"),
        ]
        for (text, expected) in cases {
            #expect(throws: SeriesSelector.ParseError.self) { try SeriesSelector(parsing: text) }
            do {
                _ = try SeriesSelector(parsing: text)
            } catch {
                #expect(error.description.contains(expected), "\(text): \(error)")
            }
        }
    }
}
