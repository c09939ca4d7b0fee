import Exposition
import Testing
import TestSupport

@Suite struct TextFormatTests {
    @Test func escapesInHelpAndLabelValues() throws {
        let body = #"""
        # HELP m A \\ backslash\nand a newline, "quotes" stay
        # TYPE m gauge
        m{a="q\"uote",b="back\\slash",c="new\nline",d="keep\q"} 1

        """#
        var parser = ExpositionParser(text: body, format: .prometheusText)
        #expect(try parser.next() == .help)
        #expect(parser.helpText() == "A \\ backslash\nand a newline, \"quotes\" stay")
        #expect(try parser.next() == .type)
        #expect(parser.metricType == .gauge)
        #expect(try parser.next() == .sample)
        #expect(parser.labelValue(0) == "q\"uote")
        #expect(parser.labelValue(1) == "back\\slash")
        #expect(parser.labelValue(2) == "new\nline")
        #expect(parser.labelValue(3) == "keep\\q")
        #expect(try parser.next() == nil)
    }

    @Test func trailingCommaAndBlanks() throws {
        let samples = try parseAll("m{a=\"1\",b=\"2\",} 3\n  m2 { a = \"x\" }   4   \n\n", .prometheusText)
        #expect(samples == [
            ParsedSample(labels: ["__name__": "m", "a": "1", "b": "2"], value: 3, timestamp: nil),
            ParsedSample(labels: ["__name__": "m2", "a": "x"], value: 4, timestamp: nil),
        ])
    }

    @Test(arguments: [
        ("NaN", Double.nan), ("+Inf", .infinity), ("-Inf", -.infinity), ("Inf", .infinity),
        ("1e3", 1000), ("1E3", 1000), ("1.5e-3", 0.0015), ("2.5E+06", 2_500_000), ("-0", -0.0),
        (".5", 0.5), ("5.", 5), ("1.9922944E9", 1_992_294_400), ("0.1", 0.1), ("123456789012345678901", 1.2345678901234568e20),
        ("4.9e-324", Double.leastNonzeroMagnitude), ("1.7976931348623157e308", 1.7976931348623157e308), ("inf", .infinity), ("nan", .nan),
    ])
    func values(text: String, expected: Double) throws {
        let samples = try parseAll("m \(text)\n", .prometheusText)
        let v = try #require(samples.first?.value)
        if expected.isNaN { #expect(v.isNaN) } else { #expect(v == expected && v.sign == expected.sign) }
    }

    @Test(arguments: ["1_000", "0x10", "0x1p3", "+nan", "1e", "e5", "--1", "1.2.3", "Infinit", ""])
    func invalidValues(text: String) {
        #expect(parseError("m \(text)\n", .prometheusText) != nil)
    }

    @Test func stalenessLikeNaNIsJustNaNInTheText() throws {
        let v = try #require(try parseAll("m NaN\n", .prometheusText).first?.value)
        #expect(v.bitPattern == Double.nan.bitPattern)
    }

    @Test func integerMillisecondTimestamps() throws {
        let samples = try parseAll("m 1 1700000000123\nn 2 -5\n", .prometheusText)
        #expect(samples.map(\.timestamp) == [1_700_000_000_123, -5])
        #expect(parseError("m 1 1.5\n", .prometheusText)?.column == 5)
        #expect(parseError("m 1 99999999999999999999\n", .prometheusText) != nil)
    }

    @Test func metricNamesWithColonsAndFamiliesWithoutSamples() throws {
        let body = "# HELP only_help nothing here\n# TYPE only_type counter\n# HELP a:b:c x\n# TYPE a:b:c gauge\na:b:c{x=\"y\"} 1\n# just a comment\n"
        var parser = ExpositionParser(text: body, format: .prometheusText)
        var entries: [ExpositionEntry] = []
        while let e = try parser.next() { entries.append(e) }
        #expect(entries == [.help, .type, .help, .type, .sample, .comment])
        #expect(try parseAll(body, .prometheusText).first?.labels["__name__"] == "a:b:c")
    }

    @Test func noTrailingNewlineAtEnd() throws {
        #expect(try parseAll("m 1", .prometheusText).count == 1)
        #expect(try parseAll("m{a=\"b\"} 1 123", .prometheusText).first?.timestamp == 123)
    }

    @Test func largeLabelValueParses() throws {
        let big = String(repeating: "x", count: 1 << 20)
        let samples = try parseAll("m{a=\"\(big)\"} 1\n", .prometheusText)
        #expect(samples.first?.labels["a"]?.count == 1 << 20)
    }

    @Test func seriesRangeIsTheRawSeriesText() throws {
        var parser = ExpositionParser(text: "m{a=\"1\",}  7\nplain 8\n", format: .prometheusText)
        _ = try parser.next()
        #expect(parser.string(parser.series) == "m{a=\"1\",}")
        _ = try parser.next()
        #expect(parser.string(parser.series) == "plain")
    }
}
