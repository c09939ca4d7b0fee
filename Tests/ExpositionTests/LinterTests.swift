import Exposition
import Testing
import TestSupport

@Suite struct LinterTests {
    @Test func findsWhatPromtoolFinds() throws {
        let body = """
        # TYPE requests counter
        requests 1
        # HELP latency_milliseconds x
        # TYPE latency_milliseconds gauge
        latency_milliseconds 3
        # HELP dup x
        # TYPE dup gauge
        dup{a="1"} 1
        dup{a="1"} 2
        # HELP camelCase x
        # TYPE camelCase gauge
        camelCase{someLabel="x"} 1
        # HELP size_kb x
        # TYPE size_kb gauge
        size_kb 1
        # HELP ok_total x
        # TYPE ok_total counter
        ok_total 1

        """
        let problems = try ExpositionLinter.lint(Array(body.utf8), format: .prometheusText).map(\.description)
        #expect(problems == [
            "camelCase label names should be written in 'snake_case' not 'camelCase'",
            "camelCase metric names should be written in 'snake_case' not 'camelCase'",
            "dup metric not unique",
            "latency_milliseconds use base unit \"seconds\" instead of \"milliseconds\"",
            "requests counter metrics should have \"_total\" suffix",
            "requests no help text",
            "size_kb metric names should not contain abbreviated units",
        ])
    }

    @Test func cleanInputHasNoProblems() throws {
        let body = "# HELP http_requests_total x\n# TYPE http_requests_total counter\nhttp_requests_total{code=\"200\"} 1\n"
        #expect(try ExpositionLinter.lint(Array(body.utf8), format: .prometheusText).isEmpty)
    }

    @Test func histogramSamplesBelongToTheirFamily() throws {
        let body = "# HELP http_latency_seconds x\n# TYPE http_latency_seconds histogram\nhttp_latency_seconds_bucket{le=\"1\"} 1\nhttp_latency_seconds_bucket{le=\"+Inf\"} 1\nhttp_latency_seconds_sum 1\nhttp_latency_seconds_count 1\n"
        #expect(try ExpositionLinter.lint(Array(body.utf8), format: .prometheusText).isEmpty)
    }
}
