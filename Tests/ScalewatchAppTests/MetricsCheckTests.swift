import Foundation
import ScalewatchApp
import Testing
import TestSupport

@Suite struct MetricsCheckTests {
    @Test func exitCodesFollowPromtool() {
        #expect(MetricsCheck.run(Array("# HELP a_total x\n# TYPE a_total counter\na_total 1\n".utf8)).exitCode == 0)
        #expect(MetricsCheck.run(Array("a 1\n".utf8)).exitCode == 3)
        let broken = MetricsCheck.run(Array("ok 1\nm{a=1} 2\n".utf8))
        #expect(broken.exitCode == 1)
        #expect(broken.output.contains("line 2, column 5"))
    }

    @Test func openMetricsIsDetectedByItsEOF() {
        let outcome = MetricsCheck.run(Array("# HELP a_total x\n# TYPE a counter\na_total 1 # {t=\"1\"} 1\n# EOF\n".utf8))
        #expect(outcome.exitCode != 1, "\(outcome.output)")
    }

    static let promtoolInputs: [String] = Fixtures.names + ["synthetic"]

    /// The real peer: promtool (installed by ./scripts/test) must print exactly what we print.
    @Test(arguments: promtoolInputs)
    func sameFindingsAsPromtool(input: String) throws {
        let bytes: [UInt8] = input == "synthetic"
            ? Array("""
            # TYPE requests counter
            requests 1
            # HELP latency_milliseconds x
            # TYPE latency_milliseconds gauge
            latency_milliseconds{camelCase="1"} 3
            latency_milliseconds{camelCase="2"} 3
            # HELP size_kb_total x
            # TYPE size_kb_total gauge
            size_kb_total{le="1",quantile="0.5"} 1
            # HELP x_gauge x
            # TYPE x_gauge gauge
            x_gauge 1
            # HELP a:b x
            a:b 1
            untyped_total 2

            """.utf8)
            : try Fixtures.bytes(input)
        let promtool = try runPromtool(bytes)
        let ours = MetricsCheck.run(bytes)
        #expect(ours.exitCode == promtool.exitCode)
        #expect(ours.output == promtool.output)
    }

    func runPromtool(_ input: [UInt8]) throws -> MetricsCheck.Outcome {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/promtool")
        process.arguments = ["check", "metrics"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stdout
        try process.run()
        stdin.fileHandleForWriting.write(Data(input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return MetricsCheck.Outcome(output: String(decoding: output, as: UTF8.self), exitCode: process.terminationStatus)
    }
}
