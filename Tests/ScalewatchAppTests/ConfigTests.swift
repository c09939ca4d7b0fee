import ConfigSupport
import Foundation
import ScalewatchApp
import Scrape
import Testing
import TestSupport

@Suite struct ConfigTests {
    /// The shipped example, with the in-cluster secret paths pointed at files made here.
    @Test func shippedExampleIsValid() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        try "token".write(toFile: dir.path + "/token", atomically: true, encoding: .utf8)
        try "ca".write(toFile: dir.path + "/ca.crt", atomically: true, encoding: .utf8)
        let example = try String(contentsOf: Fixtures.packageRoot.appendingPathComponent("examples/scalewatch.yml"), encoding: .utf8)
        let text = example.replacingOccurrences(of: "/var/run/secrets/kubernetes.io/serviceaccount", with: dir.path)
        let config = try ScalewatchConfig(text: text, file: dir.path + "/scalewatch.yml")
        #expect(config.scrapeConfigs.map(\.jobName) == ["kueue", "modelmesh", "vllm"])
        let kueue = config.scrapeConfigs[0]
        #expect(kueue.scheme == "https")
        #expect(kueue.scrapeInterval.description == "30s")
        #expect(kueue.authorization?.credentialsFile == dir.path + "/token")
        let modelmesh = config.scrapeConfigs[1]
        #expect(modelmesh.scrapeInterval.description == "15s")
        #expect(modelmesh.scrapeTimeout.description == "10s")
        #expect(modelmesh.relabelConfigs.map(\.action) == [.hashmod, .keep])
        #expect(modelmesh.limits.sampleLimit == 50_000)
        #expect(config.scrapeConfigs[2].limits.bodySizeLimit == 20 << 20)
        #expect(config.storage.maxBytes == 2 << 30)
        #expect(config.global.externalLabels == ["cluster": "gpu-east-1"])
        let autoscaling = config.autoscaling
        #expect(autoscaling.replicas.map(\.name) == ["llama-3-8b"] && autoscaling.resources.map(\.name) == ["llama-3-8b-containers"])
        #expect(autoscaling.quotas.map(\.name) == ["research-a100"] && autoscaling.quotas[0].capacityQuery != nil)
        #expect(autoscaling.replicas[0].behavior.scaleDown.policies == [.init(.pods, 1, periodSeconds: 60)])
    }

    @Test func everyIssueIsReportedWithFileLineAndKey() throws {
        let text = """
            global:
              scrape_interval: 15s
              scrape_timout: 5s
            scrape_configs:
              - job_name: a
                scrape_interval: 10s
                scrape_timeout: 20s
                honor_labels: maybe
                sample_limit: lots
              - job_name: a
              - job_name: b
                relabel_configs:
                  - source_labels: [x]
                    regex: "(unclosed"
                    target_label: y
                authorization:
                  credentials_file: /nonexistent/token
                static_configs:
                  - targets: ["http://host:80/metrics"]
            storage:
              retention: 1fortnight
            """
        #expect(throws: ConfigError.self) { try ScalewatchConfig(text: text, file: "bad.yml") }
        do {
            _ = try ScalewatchConfig(text: text, file: "bad.yml")
        } catch {
            let lines = error.issues.map(\.description)
            let expected = [
                "bad.yml:3:3: global.scrape_timout: unknown key",
                "bad.yml:7:21: scrape_configs[0].scrape_timeout: scrape timeout greater than scrape interval for scrape config with job name \"a\"",
                "bad.yml:8:19: scrape_configs[0].honor_labels: expected true or false, found \"maybe\"",
                "bad.yml:9:19: scrape_configs[0].sample_limit: expected an integer, found \"lots\"",
                "bad.yml:10:5: scrape_configs[1]: found multiple scrape configs with job name \"a\" (first at line 5)",
                "bad.yml:14:16: scrape_configs[2].relabel_configs[0].regex: invalid regular expression \"(unclosed\"",
                "bad.yml:17:25: scrape_configs[2].authorization.credentials_file: cannot read file \"/nonexistent/token\"",
                "bad.yml:19:19: scrape_configs[2].static_configs[0].targets[0]: \"http://host:80/metrics\" is not a valid hostname",
                "bad.yml:21:14: storage.retention: not a valid duration string: \"1fortnight\"",
            ]
            for e in expected {
                #expect(lines.contains { $0.hasPrefix(e) }, "missing: \(e)\nin:\n\(lines.joined(separator: "\n"))")
            }
            #expect(lines.count == expected.count, "\(lines.joined(separator: "\n"))")
        }
    }

    @Test func unsetTimeoutIsTheGlobalOneCappedAtTheInterval() throws {
        let config = try ScalewatchConfig(text: """
            global: {scrape_interval: 1m, scrape_timeout: 10s}
            scrape_configs:
              - job_name: fast
                scrape_interval: 5s
              - job_name: default
            """, file: "c.yml")
        #expect(config.scrapeConfigs[0].scrapeTimeout.description == "5s")
        #expect(config.scrapeConfigs[1].scrapeInterval.description == "1m")
        #expect(config.scrapeConfigs[1].scrapeTimeout.description == "10s")
        #expect(config.scrapeConfigs[1].metricsPath == "/metrics")
        #expect(config.scrapeConfigs[1].honorTimestamps)
        #expect(config.scrapeConfigs[1].enableCompression)
    }

    @Test func durationsFollowPrometheus() throws {
        for (text, ms, back) in [("1h30m", 5_400_000, "1h30m"), ("90s", 90_000, "1m30s"), ("0", 0, "0s"), ("1d", 86_400_000, "1d"),
                                 ("2w", 1_209_600_000, "2w"), ("1y", 31_536_000_000, "1y"), ("1500ms", 1500, "1s500ms")] as [(String, Int64, String)] {
            let d = try ConfigDuration(parsing: text)
            #expect(d.milliseconds == ms)
            #expect(d.description == back)
        }
        for bad in ["", "1", "1m1h", "5 s", "-1s", "1.5h", "1hh"] {
            #expect(throws: ConfigDuration.ParseError.self, "\(bad)") { try ConfigDuration(parsing: bad) }
        }
    }

    @Test func checkConfigExitsOneAndPrintsEveryIssue() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/bad.yml"
        try "scrape_configs:\n  - job_name: x\n    colour: red\n  - scrape_interval: 1s\n".write(toFile: path, atomically: true, encoding: .utf8)
        let outcome = ConfigCheck.run(paths: [path])
        #expect(outcome.exitCode == 1)
        #expect(outcome.errors.contains("\(path):3:5: scrape_configs[0].colour: unknown key"))
        #expect(outcome.errors.contains("\(path):4:5: scrape_configs[1].job_name: missing required key"))
        let good = dir.path + "/good.yml"
        try "scrape_configs:\n  - job_name: x\n".write(toFile: good, atomically: true, encoding: .utf8)
        #expect(ConfigCheck.run(paths: [good]).exitCode == 0)
    }

    @Test func checkConfigChecksTheRuleFilesItNames() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        try "groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up ==\n".write(toFile: dir.path + "/bad-rules.yml", atomically: true, encoding: .utf8)
        try "groups:\n  - name: g\n    rules:\n      - record: r\n        expr: up\n".write(toFile: dir.path + "/good-rules.yml", atomically: true, encoding: .utf8)
        let bad = dir.path + "/bad.yml", good = dir.path + "/good.yml"
        try "rule_files: ['*-rules.yml']\n".write(toFile: bad, atomically: true, encoding: .utf8)
        try "rule_files: [good-rules.yml]\n".write(toFile: good, atomically: true, encoding: .utf8)
        let outcome = ConfigCheck.run(paths: [bad])
        #expect(outcome.exitCode == 1)
        #expect(outcome.errors.contains("\(dir.path)/bad-rules.yml:5:15: groups[0].rules[0].expr: could not parse expression"), "\(outcome.errors)")
        let fine = ConfigCheck.run(paths: [good])
        #expect(fine.exitCode == 0 && fine.output.contains("1 rule files, 1 rules"), "\(fine.output)")
    }

    @Test func alertingSectionReadsAlertmanagersWebhooksAndRelabeling() throws {
        let config = try ScalewatchConfig(text: """
            global: {external_labels: {cluster: east}}
            alerting:
              alertmanagers:
                - static_configs: [{targets: ['am-0:9093', 'am-1:9093']}]
                  scheme: https
                  path_prefix: /alertmanager/
                  timeout: 5s
                  basic_auth: {username: scalewatch, password: secret}
              webhooks:
                - url: https://oncall.example/hook
                  group_by: [alertname, cluster_queue]
                  group_wait: 10s
              alert_relabel_configs:
                - {source_labels: [severity], regex: info, action: drop}
            """, file: "a.yml")
        let am = try #require(config.alerting.alertmanagers.first)
        #expect(am.urls == ["https://am-0:9093/alertmanager/api/v2/alerts", "https://am-1:9093/alertmanager/api/v2/alerts"])
        #expect(am.timeoutMs == 5_000 && am.basicAuth?.username == "scalewatch")
        let hook = try #require(config.alerting.webhooks.first)
        #expect(hook.name == "webhook-0" && hook.groupBy == ["alertname", "cluster_queue"] && hook.groupWaitMs == 10_000 && hook.repeatIntervalMs == 14_400_000)
        #expect(Relabeler.process(["alertname": "A", "severity": "info"], config.alertRelabelConfigs) == nil)
        #expect(Relabeler.process(["alertname": "A", "severity": "page"], config.alertRelabelConfigs) != nil)
        #expect {
            _ = try ScalewatchConfig(text: """
                alerting:
                  alertmanagers:
                    - api_version: v1
                      static_configs: [{targets: []}]
                  webhooks:
                    - url: ftp://nope
                      group_interval: 5m
                      repeat_interval: 1m
                """, file: "b.yml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("only api_version v2 is supported") && text.contains("needs at least one target")
                && text.contains("url must be an http or https URL") && text.contains("repeat_interval shorter than group_interval")
        }
    }
}
