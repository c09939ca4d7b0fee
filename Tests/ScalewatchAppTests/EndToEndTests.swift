import AsyncHTTPClient
import Foundation
import NIOCore
import Remote
import SwiftProtobuf
import Testing
import TestSupport

/// Real processes over real loopback ports: `scalewatch simulate`, `scalewatch run` scraping it,
/// and the real Prometheus 2.42 federating from Scalewatch.
@Suite(.serialized) struct EndToEndTests {
    static func get(_ url: String, method: String = "GET") async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        request.method = method == "POST" ? .POST : .GET
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 16 << 20)
        return (Int(response.status.code), String(buffer: body))
    }

    /// A form POST (AsyncHTTPClient re-encodes `%` in URLs, so selectors travel in the body).
    static func post(_ url: String, _ form: [(String, String)]) async throws -> String {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_.~"))
        let body = form.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        return String(buffer: try await response.body.collect(upTo: 16 << 20))
    }

    static func eventually(_ seconds: Double = 20, _ check: () async throws -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if (try? await check()) == true { return true }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return (try? await check()) == true
    }

    static func config(simulator: String, data: String, extraJob: Bool = false) -> String {
        let host = simulator.replacingOccurrences(of: "http://", with: "")
        return """
            global: {scrape_interval: 500ms, scrape_timeout: 400ms, external_labels: {cluster: e2e}}
            storage: {path: \(data), wal_flush_interval: 200ms}
            scrape_configs:
              - job_name: kueue
                metrics_path: /kueue/metrics
                static_configs: [{targets: ['\(host)']}]
              - job_name: vllm
                metrics_path: /vllm/meta-llama--llama-3.1-8b-instruct/0/metrics
                static_configs: [{targets: ['\(host)']}]
            \(extraJob ? "  - job_name: modelmesh\n    metrics_path: /modelmesh/fraud-detector/0/metrics\n    static_configs: [{targets: ['\(host)']}]\n" : "")
            """
    }

    @Test func runScrapesSimulateAndPrometheusFederatesFromIt() async throws {
        #expect(FileManager.default.isExecutableFile(atPath: scalewatchExecutable), "build first: swift build --build-tests")
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let simulate = try ChildProcess(scalewatchExecutable, ["simulate", "--listen", "127.0.0.1:0"])
        defer { Task { await simulate.stop() } }
        let simLine = try #require(await simulate.waitForLine(containing: "listening on"))
        let simURL = try #require(ChildProcess.url(in: simLine))

        let configPath = dir.path + "/scalewatch.yml"
        try Self.config(simulator: simURL, data: dir.path + "/data").write(toFile: configPath, atomically: true, encoding: .utf8)
        let run = try ChildProcess(scalewatchExecutable, ["run", "--config", configPath, "--web.listen-address", "127.0.0.1:0"])
        let line = try #require(await run.waitForLine(containing: "listening on"), "\(run.output)")
        let url = try #require(ChildProcess.url(in: line))

        // Both targets up, the simulator's series stored and federated.
        #expect(await Self.eventually {
            let body = try await Self.get("\(url)/federate?match[]=up").body
            return body.contains("up{instance=\"\(simURL.dropFirst(7))\",job=\"kueue\",cluster=\"e2e\"} 1")
                && body.contains("job=\"vllm\",cluster=\"e2e\"} 1")
        }, "\(run.output)")
        let kueue = try await Self.get("\(url)/federate?match[]=kueue_cluster_queue_nominal_quota").body
        #expect(kueue.contains("kueue_cluster_queue_nominal_quota{cluster_queue=\"team-a-cq\",cohort=\"research\",flavor=\"gpu-a100\""))
        let vllm = try await Self.post("\(url)/federate", [("match[]", #"{__name__=~"vllm:.*"}"#)])
        #expect(vllm.contains("vllm:num_requests_running{engine=\"0\""))
        let targets = try await Self.get("\(url)/api/v1/targets").body
        #expect(targets.contains("\"health\":\"up\"") && targets.contains("\"scrapePool\":\"kueue\""))

        // Metadata from the scraped TYPE and HELP lines, the status endpoints, and `scalewatch query`.
        let metadata = try await Self.get("\(url)/api/v1/metadata?metric=kueue_pending_workloads").body
        #expect(metadata.hasPrefix(#"{"status":"success","data":{"kueue_pending_workloads":[{"type":"gauge","help":"The number of pending workloads"#)
                && metadata.hasSuffix(#","unit":""}]}}"#), "\(metadata)")
        #expect(try await Self.get("\(url)/api/v1/status/config").body.contains("job_name: kueue"))
        #expect(try await Self.get("\(url)/api/v1/status/runtimeinfo").body.contains(#""reloadConfigSuccess":true"#))
        #expect(try await Self.get("\(url)/api/v1/status/flags").body.contains(#""query.timeout":"2m""#))
        let host = String(simURL.dropFirst(7))
        let instant = try ChildProcess(scalewatchExecutable, ["query", "instant", url, #"up{job="kueue"}"#])
        #expect(await instant.exitStatus(within: 20) == 0)
        #expect(instant.output.contains { $0.hasPrefix(#"up{instance="\#(host)", job="kueue"} => 1 @["#) }, "\(instant.output)")
        // A whole second just after now: scraping may have begun less than a second ago.
        let now = Date().timeIntervalSince1970 + 1
        let range = try ChildProcess(scalewatchExecutable, ["query", "range", url, #"sum(up{job="kueue"})"#,
                                                            "--start", String(Int(now) - 4), "--end", String(Int(now)), "--step", "2s"])
        #expect(await range.exitStatus(within: 20) == 0)
        // Scraping began a few seconds ago: at least the last step has a point, at the end time.
        #expect(range.output.first == "{} =>" && range.output.dropFirst().allSatisfy { $0.hasPrefix("1 @[") }
                && range.output.last == "1 @[\(Int(now))]", "\(range.output)")
        let series = try ChildProcess(scalewatchExecutable, ["query", "series", url, "--match", #"up{job="vllm"}"#])
        #expect(await series.exitStatus(within: 20) == 0)
        #expect(series.output == [#"{__name__="up", instance="\#(host)", job="vllm"}"#], "\(series.output)")
        let labels = try ChildProcess(scalewatchExecutable, ["query", "labels", url, "job"])
        #expect(await labels.exitStatus(within: 20) == 0)
        #expect(labels.output == ["kueue", "vllm"], "\(labels.output)")
        let bad = try ChildProcess(scalewatchExecutable, ["query", "instant", url, "sum(up"])
        #expect(await bad.exitStatus(within: 20) != 0)
        #expect(bad.output.contains { $0.contains("bad_data") && $0.contains("1:7") }, "\(bad.output)")

        // The real Prometheus 2.42 federates from Scalewatch.
        let promPort = freeLoopbackPort()
        let promConfig = dir.path + "/prometheus.yml"
        try """
            global: {scrape_interval: 1s}
            scrape_configs:
              - job_name: federate
                honor_labels: true
                metrics_path: /federate
                params: {'match[]': ['{job=~"kueue|vllm"}']}
                static_configs: [{targets: ['\(url.dropFirst(7))']}]
            """.write(toFile: promConfig, atomically: true, encoding: .utf8)
        let prometheus = try ChildProcess("/usr/bin/prometheus", [
            "--config.file=\(promConfig)", "--storage.tsdb.path=\(dir.path)/prom", "--web.listen-address=127.0.0.1:\(promPort)",
        ])
        defer { Task { await prometheus.stop() } }
        let promAPI = "http://127.0.0.1:\(promPort)/api/v1/query"
        #expect(await Self.eventually(30) {
            let up = try await Self.post(promAPI, [("query", #"up{job="federate"}"#)])
            let quota = try await Self.post(promAPI, [("query", #"count(kueue_cluster_queue_nominal_quota{cluster="e2e"})"#)])
            return up.contains("\"value\":[") && up.contains(",\"1\"]") && quota.contains(",\"12\"]")
        }, "\(prometheus.output.suffix(5))")
        #expect(await prometheus.stop() == 0)

        // A bad config is rejected on reload and the running one keeps working …
        try "scrape_configs: [{job_name: x, scrape_interval: soon}]\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        let rejected = try await Self.get("\(url)/-/reload", method: "POST")
        #expect(rejected.status == 500)
        #expect(rejected.body.contains("scrape_interval: not a valid duration string"))
        #expect(try await Self.get("\(url)/-/ready").status == 200)
        // … and SIGHUP applies a good one.
        try Self.config(simulator: simURL, data: dir.path + "/data", extraJob: true).write(toFile: configPath, atomically: true, encoding: .utf8)
        run.signal(SIGHUP)
        #expect(await Self.eventually {
            try await Self.post("\(url)/federate", [("match[]", #"up{job="modelmesh"}"#)]).contains("} 1 ")
        })

        // SIGTERM drains and exits 0; a restart restores what was stored.
        let before = try await Self.get("\(url)/federate?match[]=kueue_build_info").body
        #expect(await run.stop() == 0, "\(run.output)")
        #expect(run.output.contains { $0.contains("WAL flushed and snapshot written") })
        let restarted = try ChildProcess(scalewatchExecutable, ["run", "--config", configPath, "--web.listen-address", "127.0.0.1:0"])
        let againLine = try #require(await restarted.waitForLine(containing: "listening on"))
        let again = try #require(ChildProcess.url(in: againLine))
        #expect(await Self.eventually { try await Self.get("\(again)/-/ready").status == 200 })
        let storeLine = restarted.output.first { $0.contains("store open") } ?? ""
        let restoredSeries = storeLine.split(separator: " ").first { $0.hasPrefix("series=") }.flatMap { Int($0.dropFirst(7)) } ?? 0
        #expect(restoredSeries > 0, "\(restarted.output)")
        #expect(before.contains("kueue_build_info{"))
        #expect(await restarted.stop() == 0)
    }

    /// `(value, timestamp ms)` of the one series a federate answer holds.
    static func latest(_ federate: String) -> (value: String, ms: Int64)? {
        guard let line = federate.split(separator: "\n").first(where: { !$0.hasPrefix("#") }) else { return nil }
        let fields = line.split(separator: " ")
        guard fields.count >= 3, let t = Int64(fields[fields.count - 1]) else { return nil }
        return (String(fields[fields.count - 2]), t)
    }

    /// Prometheus's value for `query` at `ms`, as its API prints it.
    static func promValue(_ api: String, _ query: String, atMs ms: Int64) async throws -> String? {
        let body = try await post(api + "/api/v1/query", [("query", query), ("time", String(format: "%.3f", Double(ms) / 1000))])
        guard let range = body.range(of: #","[^"]*"\]"#, options: .regularExpression) else { return nil }
        return String(body[range].dropFirst(2).dropLast(2))
    }

    /// Every raw sample of `selector` over the last `range`, as Prometheus answers `selector[range]`.
    static func promSamples(_ api: String, _ selector: String, range: String, atMs: Int64) async throws -> [String] {
        let body = try await post(api + "/api/v1/query", [("query", "\(selector)[\(range)]"), ("time", String(format: "%.3f", Double(atMs) / 1000))])
        let regex = try NSRegularExpression(pattern: #"\[([0-9]+(?:\.[0-9]+)?),"([^"]*)"\]"#)
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { m in
            guard let t = Range(m.range(at: 1), in: body).flatMap({ Double(body[$0]) }), let v = Range(m.range(at: 2), in: body) else { return nil }
            return "\(Int64((t * 1000).rounded())) \(body[v])"
        }
    }

    /// Every sample Scalewatch holds for `matchers` in `[start, end]`, read through its own remote-read endpoint.
    static func scalewatchSamples(_ url: String, _ matchers: [(String, String)], startMs: Int64, endMs: Int64) async throws -> [String] {
        var query = Prometheus_Query()
        query.startTimestampMs = startMs
        query.endTimestampMs = endMs
        query.matchers = matchers.map { name, value in
            var m = Prometheus_LabelMatcher()
            m.type = .eq
            m.name = name
            m.value = value
            return m
        }
        var read = Prometheus_ReadRequest()
        read.queries = [query]
        var request = HTTPClientRequest(url: url + "/api/v1/read")
        request.method = .POST
        request.body = .bytes(ByteBuffer(bytes: Snappy.compress(try read.serializedBytes() as [UInt8])))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
        let body = Array(try await response.body.collect(upTo: 64 << 20).readableBytesView)
        let decoded = try Prometheus_ReadResponse(serializedBytes: try Snappy.decompress(body))
        return decoded.results.flatMap(\.timeseries).flatMap(\.samples).map { s in
            "\(s.timestamp) \(formatPromValue(s.value))"
        }
    }

    /// The `{"metric":…,"value":…}` objects of a query answer, sorted, for comparing two servers.
    static func sortedResults(_ body: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"\{"metric":\{[^}]*\},"value":\[[^\]]*\]\}"#)
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { Range($0.range, in: body).map { String(body[$0]) } }.sorted()
    }

    /// A value as Prometheus's API prints it (Go's 'f', -1 for plain numbers).
    static func formatPromValue(_ v: Double) -> String {
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }

    @Test func prometheusRemoteReadsFromAndRemoteWritesToScalewatch() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let simulate = try ChildProcess(scalewatchExecutable, ["simulate", "--listen", "127.0.0.1:0"])
        defer { Task { await simulate.stop() } }
        let simLine = try #require(await simulate.waitForLine(containing: "listening on"))
        let simHost = String(try #require(ChildProcess.url(in: simLine)).dropFirst(7))
        let configPath = dir.path + "/scalewatch.yml"
        try """
            global: {scrape_interval: 500ms, scrape_timeout: 400ms}
            storage: {path: \(dir.path)/data}
            scrape_configs:
              - job_name: kueue
                metrics_path: /kueue/metrics
                static_configs: [{targets: ['\(simHost)']}]
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let run = try ChildProcess(scalewatchExecutable, ["run", "--config", configPath, "--web.listen-address", "127.0.0.1:0"])
        defer { Task { await run.stop() } }
        let runLine = try #require(await run.waitForLine(containing: "listening on"))
        let url = try #require(ChildProcess.url(in: runLine))

        let promPort = freeLoopbackPort()
        let promConfig = dir.path + "/prometheus.yml"
        try """
            global: {scrape_interval: 1s}
            remote_read:
              - url: \(url)/api/v1/read
                read_recent: true
                required_matchers: {job: kueue}
            remote_write:
              - url: \(url)/api/v1/write
                queue_config: {batch_send_deadline: 1s}
            scrape_configs:
              - job_name: prom-kueue
                metrics_path: /kueue/metrics
                static_configs: [{targets: ['\(simHost)']}]
            """.write(toFile: promConfig, atomically: true, encoding: .utf8)
        let prometheus = try ChildProcess("/usr/bin/prometheus", [
            "--config.file=\(promConfig)", "--storage.tsdb.path=\(dir.path)/prom", "--web.listen-address=127.0.0.1:\(promPort)",
        ])
        defer { Task { await prometheus.stop() } }
        let api = "http://127.0.0.1:\(promPort)"

        // Remote read: Prometheus scrapes nothing as job "kueue"; what it answers comes from Scalewatch.
        #expect(await Self.eventually(30) {
            try await Self.post(api + "/api/v1/query", [("query", #"count(kueue_cluster_queue_nominal_quota{job="kueue"})"#)]).contains(#","12"]"#)
        }, "\(prometheus.output.suffix(5))")
        let attempts = #"kueue_admission_attempts_total{job="kueue",result="success"}"#
        try await Task.sleep(for: .seconds(8))
        let heldText = try await Self.post("\(url)/federate", [("match[]", attempts)])
        let held = try #require(Self.latest(heldText))
        #expect(try await Self.promValue(api, attempts, atMs: held.ms) == held.value)
        // Every sample of the last 10 s, through Prometheus's remote read, is what Scalewatch holds.
        let readMatchers = [("__name__", "kueue_admission_attempts_total"), ("job", "kueue"), ("result", "success")]
        let viaPrometheus = try await Self.promSamples(api, attempts, range: "10s", atMs: held.ms)
        let inScalewatch = try await Self.scalewatchSamples(url, readMatchers, startMs: held.ms - 9_999, endMs: held.ms)
        #expect(viaPrometheus.count >= 15)
        #expect(viaPrometheus == inScalewatch)

        // Remote write: what Prometheus scraped reaches Scalewatch with the same samples.
        let written = #"kueue_admission_attempts_total{job="prom-kueue",result="success"}"#
        #expect(await Self.eventually(30) {
            Self.latest(try await Self.post("\(url)/federate", [("match[]", written)])) != nil
        }, "\(prometheus.output.suffix(5))")
        try await Task.sleep(for: .seconds(6))
        let receivedText = try await Self.post("\(url)/federate", [("match[]", written)])
        let received = try #require(Self.latest(receivedText))
        #expect(try await Self.promValue(api, written, atMs: received.ms) == received.value)
        // Prometheus's own samples (remote read is off for this job) equal what it sent Scalewatch.
        let writtenMatchers = [("__name__", "kueue_admission_attempts_total"), ("job", "prom-kueue"), ("result", "success")]
        let local = try await Self.promSamples(api, written, range: "10s", atMs: received.ms)
        let sent = try await Self.scalewatchSamples(url, writtenMatchers, startMs: received.ms - 9_999, endMs: received.ms)
        #expect(local.count >= 5)
        #expect(local == sent)
        // The same queries on the same samples give the same answers in both (issue 5's API, first steps).
        for q in [#"sum by (result) (kueue_admission_attempts_total{job="prom-kueue"})"#,
                  #"max(kueue_cluster_queue_nominal_quota{job="prom-kueue"}) * 2"#] {
            // A few seconds back, so every series of these scrapes has reached Scalewatch under load too.
            let time = String(format: "%.3f", Double(received.ms - 3_000) / 1000)
            let ours = try await Self.post("\(url)/api/v1/query", [("query", q), ("time", time)])
            let theirs = try await Self.post(api + "/api/v1/query", [("query", q), ("time", time)])
            #expect(!Self.sortedResults(ours).isEmpty && Self.sortedResults(ours) == Self.sortedResults(theirs), "\(q)\nours:   \(ours)\ntheirs: \(theirs)")
        }
        #expect(await prometheus.stop() == 0)
        #expect(await run.stop() == 0)
    }

    /// Raw sample timestamps (ms) of `selector` over the last `range` in Prometheus.
    static func promTimestamps(_ api: String, _ selector: String, range: String) async throws -> [Int64] {
        let body = try await post(api + "/api/v1/query", [("query", "\(selector)[\(range)]")])
        let regex = try NSRegularExpression(pattern: #"\[([0-9]+(?:\.[0-9]+)?),""#)
        return regex.matches(in: body, range: NSRange(body.startIndex..., in: body)).compactMap { m in
            Range(m.range(at: 1), in: body).flatMap { Double(body[$0]) }.map { Int64(($0 * 1000).rounded()) }
        }
    }

    @Test func remoteWriteToPrometheusSurvivesAThirtySecondOutage() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let promPort = freeLoopbackPort()
        let promArgs = ["--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)/prom",
                        "--web.listen-address=127.0.0.1:\(promPort)", "--web.enable-remote-write-receiver"]
        try "global: {scrape_interval: 1m}\n".write(toFile: dir.path + "/prometheus.yml", atomically: true, encoding: .utf8)
        let prometheus = try ChildProcess("/usr/bin/prometheus", promArgs)
        defer { Task { await prometheus.stop() } }
        let api = "http://127.0.0.1:\(promPort)"
        let simulate = try ChildProcess(scalewatchExecutable, ["simulate", "--listen", "127.0.0.1:0"])
        defer { Task { await simulate.stop() } }
        let simLine = try #require(await simulate.waitForLine(containing: "listening on"))
        let simHost = String(try #require(ChildProcess.url(in: simLine)).dropFirst(7))
        let configPath = dir.path + "/scalewatch.yml"
        try """
            global: {scrape_interval: 500ms, scrape_timeout: 400ms, external_labels: {replica: a}}
            storage: {path: \(dir.path)/data}
            scrape_configs:
              - job_name: kueue
                metrics_path: /kueue/metrics
                static_configs: [{targets: ['\(simHost)']}]
            remote_write:
              - url: \(api)/api/v1/write
                write_relabel_configs: [{source_labels: [__name__], regex: "kueue_admission_attempts_total|up", action: keep}]
                queue_config: {capacity: 20000, batch_send_deadline: 200ms, min_backoff: 100ms, max_backoff: 1s}
            """.write(toFile: configPath, atomically: true, encoding: .utf8)
        let run = try ChildProcess(scalewatchExecutable, ["run", "--config", configPath, "--web.listen-address", "127.0.0.1:0"])
        defer { Task { await run.stop() } }
        let runLine = try #require(await run.waitForLine(containing: "listening on"))
        let url = try #require(ChildProcess.url(in: runLine))
        let selector = #"kueue_admission_attempts_total{job="kueue",result="success",replica="a"}"#
        #expect(await Self.eventually(30) { try await Self.promTimestamps(api, selector, range: "1m").count >= 3 }, "\(prometheus.output.suffix(5))")
        // Only what write relabeling keeps is sent.
        #expect(try await Self.post(api + "/api/v1/query", [("query", #"count({job="kueue",__name__!~"kueue_admission_attempts_total|up"})"#)]).contains(#""result":[]"#))

        // Prometheus goes away for 30 s while Scalewatch keeps scraping, then comes back.
        #expect(await prometheus.stop() == 0)
        try await Task.sleep(for: .seconds(30))
        let restarted = try ChildProcess("/usr/bin/prometheus", promArgs)
        defer { Task { await restarted.stop() } }
        let outageSeen = await Self.eventually(60) {
            let stamps = try await Self.promTimestamps(api, selector, range: "3m")
            guard let first = stamps.first, let last = stamps.last, last - first > 40_000 else { return false }
            return zip(stamps, stamps.dropFirst()).allSatisfy { $1 - $0 <= 1_500 }
        }
        let stamps = try await Self.promTimestamps(api, selector, range: "3m")
        let gaps = zip(stamps, stamps.dropFirst()).map { $1 - $0 }.filter { $0 > 1_500 }
        #expect(outageSeen, "gaps over 1.5 s in what Prometheus received: \(gaps); \(stamps.count) samples")
        // And what it holds is what Scalewatch holds.
        let heldText = try await Self.post("\(url)/federate", [("match[]", #"kueue_admission_attempts_total{result="success"}"#)])
        let held = try #require(Self.latest(heldText))
        #expect(await Self.eventually(10) { try await Self.promValue(api, selector, atMs: held.ms) == held.value })
        #expect(await run.stop() == 0)
    }
}
