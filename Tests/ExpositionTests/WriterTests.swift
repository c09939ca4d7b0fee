import Exposition
import Testing
import TestSupport

@Suite struct WriterTests {
    @Test(arguments: [
        (1.0, "1"), (0.0, "0"), (-0.0, "-0"), (123456.0, "123456"), (1234567.0, "1.234567e+06"),
        (1e6, "1e+06"), (0.0001, "0.0001"), (0.00001, "1e-05"), (1.5, "1.5"), (0.1, "0.1"),
        (1e21, "1e+21"), (123456789.0, "1.23456789e+08"), (Double("3e-310")!, "3e-310"), (-2.5e-7, "-2.5e-07"),
        (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"), (1.9922944e9, "1.9922944e+09"),
        (0.9134, "0.9134"), (100000.0, "100000"), (Double.leastNonzeroMagnitude, "5e-324"), (1.7976931348623157e308, "1.7976931348623157e+308"),
    ])
    func goFloatFormatting(value: Double, expected: String) {
        var out: [UInt8] = []
        appendGoFloat(value, to: &out)
        #expect(String(decoding: out, as: UTF8.self) == expected)
    }

    @Test func textRoundTrip() throws {
        var w = ExpositionWriter(format: .prometheusText)
        w.writeHelp("m", "a \\ b\nc")
        w.writeType("m", .counter)
        w.writeSample("m_total", labels: [("a", "q\"\\\n"), ("b", "")], value: 1.5, timestampMs: 1_700_000_000_123)
        w.writeSample("n", labels: [(String, String)](), value: .infinity)
        w.writeEOF()
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text == "# HELP m a \\\\ b\\nc\n# TYPE m counter\nm_total{a=\"q\\\"\\\\\\n\",b=\"\"} 1.5 1700000000123\nn +Inf\n")
        var parser = ExpositionParser(bytes: w.bytes, format: .prometheusText)
        _ = try parser.next()
        #expect(parser.helpText() == "a \\ b\nc")
        let samples = try parseAll(w.bytes, .prometheusText)
        #expect(samples[0].labels["a"] == "q\"\\\n")
        #expect(samples[0].timestamp == 1_700_000_000_123)
    }

    @Test func openMetricsRoundTrip() throws {
        var w = ExpositionWriter(format: .openMetrics)
        w.writeType("x_seconds", .gauge)
        w.writeUnit("x_seconds", "seconds")
        w.writeSample("x_seconds", labels: [("a", "b")], value: 2, timestampMs: 1_520_879_607_789)
        w.writeSample("x_seconds", labels: [("a", "c")], value: 2.5, timestampMs: -1500)
        w.writeEOF()
        let text = String(decoding: w.bytes, as: UTF8.self)
        #expect(text.contains("x_seconds{a=\"b\"} 2.0 1520879607.789\n"))
        #expect(text.contains("x_seconds{a=\"c\"} 2.5 -1.5\n"))
        let samples = try parseAll(w.bytes, .openMetrics)
        #expect(samples.map(\.timestamp) == [1_520_879_607_789, -1500])
    }

    @Test(arguments: Fixtures.names)
    func fixturesRoundTripThroughTheWriter(name: String) throws {
        let original = try parseAll(try Fixtures.bytes(name), .prometheusText)
        for format in [ExpositionFormat.prometheusText, .openMetrics] {
            var w = ExpositionWriter(format: format)
            for s in original {
                let labels = s.labels.filter { $0.key != "__name__" }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
                w.writeSample(s.labels["__name__"]!, labels: labels, value: s.value, timestampMs: s.timestamp)
            }
            w.writeEOF()
            #expect(try parseAll(w.bytes, format) == original)
        }
    }
}
