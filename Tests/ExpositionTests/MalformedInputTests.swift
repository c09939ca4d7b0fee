import Exposition
import Testing
import TestSupport

@Suite struct MalformedInputTests {
    struct Case: Sendable, CustomStringConvertible {
        var input: String
        var line: Int
        var column: Int
        var message: String
        var description: String { input.debugDescription }
    }

    static let textCases: [Case] = [
        Case(input: "m{a=\"1\" 2\n", line: 1, column: 9, message: "expected ',' or '}'"),
        Case(input: "ok 1\nm{a=1} 2\n", line: 2, column: 5, message: "expected '\"' to open the value of label \"a\""),
        Case(input: "m{a=\"unterminated} 2\n", line: 1, column: 21, message: "expected '\"' to close"),
        Case(input: "m{=\"x\"} 1\n", line: 1, column: 3, message: "expected a label name or '}'"),
        Case(input: "m{a\"x\"} 1\n", line: 1, column: 4, message: "expected '=' after label name \"a\""),
        Case(input: "m\n", line: 1, column: 2, message: "expected a value"),
        Case(input: "m \n", line: 1, column: 3, message: "expected a value"),
        Case(input: "m abc\n", line: 1, column: 3, message: "expected a float value, found \"abc\""),
        Case(input: "1m 1\n", line: 1, column: 1, message: "expected a metric name"),
        Case(input: "m 1 2 3\n", line: 1, column: 7, message: "expected end of line"),
        Case(input: "# TYPE m bogus\n", line: 1, column: 10, message: "expected a metric type"),
        Case(input: "# HELP\n", line: 1, column: 7, message: "expected ' ' and a metric name after HELP"),
        Case(input: "# HELP 9m x\n", line: 1, column: 8, message: "expected a metric name"),
        Case(input: "m{a=\"x\\", line: 1, column: 8, message: "expected an escaped character"),
        Case(input: "m{a=\"x\\\n\"} 1\n", line: 1, column: 8, message: "expected an escaped character"),
        Case(input: "m{a=\"x\"", line: 1, column: 8, message: "expected ',' or '}'"),
        Case(input: "m 1 # {a=\"b\"} 1\n", line: 1, column: 5, message: "exemplars need OpenMetrics"),
    ]

    @Test(arguments: textCases)
    func textErrorsNameLineColumnAndExpectation(c: Case) throws {
        let error = try #require(parseError(c.input, .prometheusText))
        #expect(error.line == c.line, "\(error)")
        #expect(error.column == c.column, "\(error)")
        #expect(error.message.contains(c.message), "\(error)")
    }

    @Test func invalidUTF8InLabelValueAndHelp() throws {
        var bytes = Array("m{a=\"".utf8) + [0xff, 0xfe] + Array("\"} 1\n".utf8)
        let e1 = try #require(parseError(bytes, .prometheusText))
        #expect(e1.message.contains("not valid UTF-8"))
        bytes = Array("# HELP m bad ".utf8) + [0xc3, 0x28] + [0x0a]
        #expect(parseError(bytes, .prometheusText)?.message.contains("not valid UTF-8") == true)
        // Overlong encoding and a surrogate are invalid too; real multi-byte text is fine.
        #expect(parseError(Array("m{a=\"".utf8) + [0xc0, 0xaf] + Array("\"} 1\n".utf8), .prometheusText) != nil)
        #expect(parseError(Array("m{a=\"".utf8) + [0xed, 0xa0, 0x80] + Array("\"} 1\n".utf8), .prometheusText) != nil)
        #expect(try parseAll("m{a=\"größe ✓ 🚀\"} 1\n", .prometheusText).first?.labels["a"] == "größe ✓ 🚀")
    }

    @Test func binaryGarbageNeverCrashes() {
        var rng = SplitMix64(seed: 42)
        var errors = 0
        for round in 0..<2000 {
            let length = Int(rng.next() % 200)
            var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
            if round % 2 == 0 {
                // Mostly-valid text with random corruption explores deeper states.
                bytes = Array("# HELP m h\n# TYPE m gauge\nm{a=\"b\",c=\"d\"} 1.5 123\n".utf8)
                for _ in 0..<3 { bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next()) }
            }
            for format in [ExpositionFormat.prometheusText, .openMetrics] where parseError(bytes, format) != nil {
                errors += 1
            }
        }
        #expect(errors > 1000)
    }

    @Test func everyPrefixOfMalformedInputIsAnErrorOrAParse() {
        let body = Array("# HELP m a\\nb\n# TYPE m histogram\nm_bucket{le=\"+Inf\",a=\"x\\\"y\"} 1e3 17\nm_sum 3\nm_count{} 1\nbad{".utf8)
        for n in 0...body.count {
            let prefix = Array(body[0..<n])
            if let error = parseError(prefix, .prometheusText) {
                #expect(error.line >= 1 && error.line <= 6)
                #expect(error.column >= 1)
            }
        }
        #expect(parseError(body, .prometheusText)?.line == 6)
    }
}
