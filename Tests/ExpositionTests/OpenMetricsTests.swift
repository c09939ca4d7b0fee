import Exposition
import Testing
import TestSupport

@Suite struct OpenMetricsTests {
    static let body = """
    # TYPE acme_http_router_request_seconds summary
    # UNIT acme_http_router_request_seconds seconds
    # HELP acme_http_router_request_seconds Latency though all of ACME's HTTP request router.
    acme_http_router_request_seconds_sum{path="/api/v1",method="GET"} 9036.32
    acme_http_router_request_seconds_count{path="/api/v1",method="GET"} 807283.0
    acme_http_router_request_seconds_created{path="/api/v1",method="GET"} 1605281325.0
    # TYPE foo histogram
    foo_bucket{le="0.01"} 0
    foo_bucket{le="1"} 10 # {trace_id="KOO5S4vxi0o"} 0.67 1520879607.789
    foo_bucket{le="+Inf"} 17 # {trace_id="oHg5SJYRHA0"} 9.8
    foo_count 17
    foo_sum 324789.3
    # TYPE build info
    build_info{version="1.2.3"} 1
    # TYPE door stateset
    door{door="open"} 1
    door{door="closed"} 0
    # TYPE queue gaugehistogram
    queue_bucket{le="+Inf"} 3
    queue_gcount 3
    queue_gsum 4
    # TYPE mystery unknown
    mystery 1.5e-3 1520879607.789123
    # EOF

    """

    @Test func parsesEveryType() throws {
        var parser = ExpositionParser(text: Self.body, format: .openMetrics)
        var types: [MetricType] = []
        var units: [String] = []
        var exemplars: [(String, Double, Int64?)] = []
        var samples = 0
        while let e = try parser.next() {
            switch e {
            case .type: types.append(parser.metricType)
            case .unit: units.append(parser.unitText)
            case .sample:
                samples += 1
                if parser.hasExemplar {
                    exemplars.append((parser.exemplarLabelPairs()[0].value, parser.exemplarValue, parser.exemplarTimestamp))
                }
            default: break
            }
        }
        #expect(types == [.summary, .histogram, .info, .stateset, .gaugehistogram, .unknown])
        #expect(units == ["seconds"])
        #expect(samples == 15)
        #expect(exemplars.count == 2)
        #expect(exemplars[0].0 == "KOO5S4vxi0o" && exemplars[0].1 == 0.67 && exemplars[0].2 == 1_520_879_607_789)
        #expect(exemplars[1].2 == nil)
    }

    @Test func floatSecondTimestampsTruncateToMilliseconds() throws {
        let samples = try parseAll(Self.body, .openMetrics)
        #expect(samples.last?.timestamp == 1_520_879_607_789)
        #expect(try parseAll("m 1 1.0009\n# EOF\n", .openMetrics).first?.timestamp == 1000)
        #expect(try parseAll("m 1 -1.5\n# EOF\n", .openMetrics).first?.timestamp == -1500)
    }

    @Test func createdSeriesAreOrdinarySamples() throws {
        let samples = try parseAll(Self.body, .openMetrics)
        #expect(samples.contains { $0.labels["__name__"] == "acme_http_router_request_seconds_created" && $0.value == 1_605_281_325 })
    }

    @Test func eofIsRequiredAndFinal() throws {
        #expect(parseError("m 1\n", .openMetrics)?.message.contains("# EOF") == true)
        #expect(parseError("m 1\n# EOF\nm 2\n", .openMetrics)?.message.contains("after \"# EOF\"") == true)
        #expect(parseError("# EOF\n", .openMetrics) == nil)
        #expect(parseError("# EOF", .openMetrics) == nil)
    }

    @Test func strictnessThatTheTextFormatDoesNotHave() {
        #expect(parseError("# random comment\n# EOF\n", .openMetrics) != nil)
        #expect(parseError("m 1\n\n# EOF\n", .openMetrics) != nil)
        #expect(parseError("# TYPE m untyped\n# EOF\n", .openMetrics) != nil)
        #expect(parseError("# TYPE m_seconds gauge\n# UNIT m_seconds bytes\n# EOF\n", .openMetrics)?.message.contains("not a suffix") == true)
        let longExemplar = String(repeating: "x", count: 130)
        #expect(parseError("m_total 1 # {a=\"\(longExemplar)\"} 1\n# EOF\n", .openMetrics)?.message.contains("128") == true)
    }

    @Test func helpEscapesQuotesInOpenMetrics() throws {
        var parser = ExpositionParser(text: "# HELP m say \\\"hi\\\"\\n\n# EOF\n", format: .openMetrics)
        #expect(try parser.next() == .help)
        #expect(parser.helpText() == "say \"hi\"\n")
    }

    @Test func contentTypeNegotiation() {
        #expect(ExpositionFormat(contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8") == .openMetrics)
        #expect(ExpositionFormat(contentType: "text/plain; version=0.0.4") == .prometheusText)
        #expect(ExpositionFormat(contentType: nil) == .prometheusText)
        #expect(ExpositionFormat(contentType: "application/json") == .prometheusText)
    }
}
