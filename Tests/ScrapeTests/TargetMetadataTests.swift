import Exposition
import Scrape
import Testing
import TSDB

/// What `/api/v1/metadata` reports comes from the TYPE, HELP and UNIT lines a target exposes.
@Suite struct TargetMetadataTests {
    @Test func recordsTypeHelpAndUnitAndFollowsChanges() throws {
        let h = try IngestHarness()
        h.scrape("# HELP vllm:num_requests_waiting Number of requests waiting.\n# TYPE vllm:num_requests_waiting gauge\nvllm:num_requests_waiting 3\nuntyped_thing 1\n", at: 1_000)
        #expect(h.ingester.metadata.families["vllm:num_requests_waiting"] == .init(type: "gauge", help: "Number of requests waiting.", unit: ""))
        #expect(h.ingester.metadata.families["untyped_thing"] == nil)
        // A changed HELP and an escaped one are picked up; a text-format `untyped` reads as unknown.
        h.scrape("# HELP vllm:num_requests_waiting Waiting\\nrequests.\n# TYPE vllm:num_requests_waiting untyped\nvllm:num_requests_waiting 3\n", at: 2_000)
        #expect(h.ingester.metadata.families["vllm:num_requests_waiting"] == .init(type: "unknown", help: "Waiting\nrequests.", unit: ""))
        h.scrape("# TYPE latency_seconds histogram\n# UNIT latency_seconds seconds\nlatency_seconds_bucket{le=\"+Inf\"} 1\n# EOF\n", at: 3_000, format: .openMetrics)
        #expect(h.ingester.metadata.families["latency_seconds"] == .init(type: "histogram", help: "", unit: "seconds"))
    }
}
