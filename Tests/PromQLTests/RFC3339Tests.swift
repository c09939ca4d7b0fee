import PromQL
import Testing

/// Times as Go's encoder writes a `time.Time` in UTC (RFC 3339 with the fraction's trailing zeros
/// dropped), the one format of Prometheus's API and Alertmanager's payloads.
@Suite struct RFC3339Tests {
    @Test func formatsAsGoDoes() {
        #expect(RFC3339.format(ms: 1_795_900_000_120) == "2026-11-28T21:06:40.12Z")
        #expect(RFC3339.format(ms: 1_795_900_000_000) == "2026-11-28T21:06:40Z")
        #expect(RFC3339.format(ms: 1_000) == "1970-01-01T00:00:01Z")
        #expect(RFC3339.format(ms: -1) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(ms: 0) == "0001-01-01T00:00:00Z")
    }
}
