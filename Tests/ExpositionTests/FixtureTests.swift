import Exposition
import Testing
import TestSupport

@Suite struct FixtureTests {
    @Test(arguments: Fixtures.names)
    func everySampleLineOfTheFixtureParses(name: String) throws {
        let bytes = try Fixtures.bytes(name)
        let samples = try parseAll(bytes, .prometheusText)
        let sampleLines = String(decoding: bytes, as: UTF8.self).split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
        #expect(samples.count == sampleLines.count)
        #expect(samples.count > 50)
    }

    @Test func kueueQuirks() throws {
        let samples = try parseAll(try Fixtures.bytes("kueue_metrics.prom"), .prometheusText)
        // Empty label values mean "absent", so priority_class="" is still present in the raw parse
        // but empty.
        let teamB = samples.first { $0.labels["cluster_queue"] == "team-b-cq" && $0.labels["__name__"] == "kueue_admission_wait_time_seconds_count" }
        #expect(teamB?.labels["priority_class"] == "")
        #expect(teamB?.value == 157)
        #expect(samples.contains { $0.value == .infinity })
        #expect(samples.allSatisfy { $0.labels["__name__"]!.hasPrefix("kueue_") && $0.labels["__name__"] != "kueue_build_info" ? $0.labels["replica_role"] != nil : true })
    }

    @Test func kueueMultilineHelpIsUnescaped() throws {
        var parser = ExpositionParser(bytes: try Fixtures.bytes("kueue_metrics.prom"), format: .prometheusText)
        var help: String?
        while let e = try parser.next() {
            if e == .help, parser.metricNameString == "kueue_admission_attempts_total" { help = parser.helpText() }
        }
        let text = try #require(help)
        #expect(text.contains("\n- 'success' means"))
        #expect(!text.contains("\\n"))
    }

    @Test func modelmeshQuirks() throws {
        let samples = try parseAll(try Fixtures.bytes("modelmesh_metrics.prom"), .prometheusText)
        let first = try #require(samples.first)
        #expect(first.labels["le"] == "0.5")
        #expect(first.labels["vModelId"] == "fraud-detector")
        let text = String(decoding: try Fixtures.bytes("modelmesh_metrics.prom"), as: UTF8.self)
        if text.contains("1.9922944E9") {
            #expect(samples.contains { $0.value == 1_992_294_400 })
        }
    }

    @Test func vllmQuirks() throws {
        let samples = try parseAll(try Fixtures.bytes("vllm_metrics.prom"), .prometheusText)
        let waiting = samples.first { $0.labels["__name__"] == "vllm:num_requests_waiting" }
        #expect(waiting?.value == 7)
        #expect(samples.first { $0.labels["__name__"] == "vllm:prefix_cache_queries_total" }?.value == 4_934_112)
        #expect(samples.first { $0.labels["__name__"] == "vllm:kv_cache_usage_perc" }?.value == 0.9134)
        #expect(samples.contains { $0.labels["__name__"] == "http_requests_created" && $0.value == 1.7672076211843e+09 })
    }

    @Test(arguments: Fixtures.names)
    func fixtureSurvivesEveryTruncation(name: String) throws {
        let bytes = try Fixtures.bytes(name)
        let full = try parseAll(bytes, .prometheusText)
        // Feed every prefix, one byte more each time: never a crash, and whatever parses is a
        // prefix of the full parse (the last sample may differ when its value was cut short).
        var n = 0
        while n <= bytes.count {
            let prefix = Array(bytes[0..<n])
            do {
                let samples = try parseAll(prefix, .prometheusText)
                #expect(samples.count <= full.count)
                if samples.count > 1 { #expect(Array(samples.dropLast()) == Array(full.prefix(samples.count - 1))) }
            } catch {
                // A cut inside a line is an error that names a line inside the prefix.
                let linesInPrefix = prefix.count { $0 == UInt8(ascii: "\n") } + 1
                #expect(error.line >= 1 && error.line <= linesInPrefix)
            }
            n += name == "kueue_metrics.prom" ? 1 : 7
        }
    }
}
