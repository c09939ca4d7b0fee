import Foundation
import Testing
import TestSupport

/// `scalewatch run` with rule files: rules evaluate on scraped data, alerts show in the API and as
/// ALERTS series, a restart keeps a firing alert firing, and a bad rule file rejects a reload.
@Suite(.serialized) struct RulesEndToEndTests {
    static func rules(forSeconds: Int, broken: Bool = false) -> String {
        """
        groups:
          - name: e2e
            interval: 1s
            rules:
              - record: job:up:sum
                expr: sum by (job) (up)
              - alert: KueueScraped
                expr: up{job="kueue"} == 1
                for: \(forSeconds)s
                labels: {severity: info}
                annotations:
                  summary: Kueue is scraped.
                  description: '{{ $labels.instance }} answered with {{ $value }}\(broken ? " {{ nosuchfunction }}" : "").'
        """
    }

    @Test func rulesRunAlertsShowAndSurviveARestart() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let simulate = try ChildProcess(scalewatchExecutable, ["simulate", "--listen", "127.0.0.1:0"])
        defer { Task { await simulate.stop() } }
        let simLine = try #require(await simulate.waitForLine(containing: "listening on"))
        let host = String(try #require(ChildProcess.url(in: simLine)).dropFirst(7))
        try Self.rules(forSeconds: 8).write(toFile: dir.path + "/rules.yml", atomically: true, encoding: .utf8)
        let configPath = dir.path + "/scalewatch.yml"
        try """
            global: {scrape_interval: 500ms, scrape_timeout: 400ms, evaluation_interval: 1s}
            storage: {path: \(dir.path)/data}
            rule_files: [rules.yml]
            scrape_configs:
              - job_name: kueue
                metrics_path: /kueue/metrics
                static_configs: [{targets: ['\(host)']}]
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let run = try ChildProcess(scalewatchExecutable, ["run", "--config", configPath, "--web.listen-address", "127.0.0.1:0"])
        let runLine = try #require(await run.waitForLine(containing: "listening on"), "\(run.output)")
        let url = try #require(ChildProcess.url(in: runLine))

        // Pending first, firing once `for` has passed.
        #expect(await EndToEndTests.eventually(15) { try await EndToEndTests.get("\(url)/api/v1/alerts").body.contains(#""state":"pending""#) })
        #expect(await EndToEndTests.eventually(20) { try await EndToEndTests.get("\(url)/api/v1/alerts").body.contains(#""state":"firing""#) }, "\(run.output.suffix(5))")
        let alerts = try await EndToEndTests.get("\(url)/api/v1/alerts").body
        #expect(alerts.contains(#""annotations":{"description":"\#(host) answered with 1.","summary":"Kueue is scraped."}"#), "\(alerts)")
        #expect(alerts.contains(#""labels":{"alertname":"KueueScraped","instance":"\#(host)","job":"kueue","severity":"info"}"#) && alerts.contains(#""value":"1e+00""#))
        let rules = try await EndToEndTests.get("\(url)/api/v1/rules").body
        #expect(rules.contains(#""name":"e2e""#) && rules.contains(#""type":"recording""#) && rules.contains(#""health":"ok""#)
                && rules.contains(#""state":"firing""#) && rules.contains(#""duration":8"#), "\(rules)")
        #expect(try await EndToEndTests.get("\(url)/api/v1/rules?type=record").body.contains("alerting") == false)
        let firing = try await EndToEndTests.post("\(url)/api/v1/query", [("query", #"ALERTS{alertname="KueueScraped",alertstate="firing"}"#)])
        #expect(firing.contains(#","1"]"#), "\(firing)")
        #expect(try await EndToEndTests.post("\(url)/api/v1/query", [("query", "job:up:sum")]).contains(#"{"__name__":"job:up:sum","job":"kueue"}"#))

        // A rule file with an unknown template function rejects the reload; the rules keep running.
        try Self.rules(forSeconds: 8, broken: true).write(toFile: dir.path + "/rules.yml", atomically: true, encoding: .utf8)
        let rejected = try await EndToEndTests.get("\(url)/-/reload", method: "POST")
        #expect(rejected.status == 500 && rejected.body.contains(#"function "nosuchfunction" not defined"#), "\(rejected.body)")
        #expect(try await EndToEndTests.get("\(url)/api/v1/status/runtimeinfo").body.contains(#""reloadConfigSuccess":false"#))
        try Self.rules(forSeconds: 8).write(toFile: dir.path + "/rules.yml", atomically: true, encoding: .utf8)

        // After a restart the alert is firing again well before another `for` has passed.
        #expect(await run.stop() == 0)
        let again = try ChildProcess(scalewatchExecutable, ["run", "--config", configPath, "--web.listen-address", "127.0.0.1:0"])
        let againLine = try #require(await again.waitForLine(containing: "listening on"))
        let againURL = try #require(ChildProcess.url(in: againLine))
        let restarted = Date()
        #expect(await EndToEndTests.eventually(15) {
            try await EndToEndTests.get("\(againURL)/api/v1/alerts").body.contains(#""state":"firing""#)
        }, "\(again.output.suffix(5))")
        #expect(Date().timeIntervalSince(restarted) < 6, "took \(Date().timeIntervalSince(restarted)) s: the for state was not restored")
        #expect(await again.stop() == 0)
    }
}
