import Foundation
import Testing
import TestSupport

/// Issue 5's agreement check: the real Prometheus 2.42 scrapes `scalewatch simulate` and
/// remote-writes the same samples to Scalewatch; every query of `AgreementQueries` then runs on
/// both, as an instant query and as a range query, and the answers must agree.
@Suite(.serialized) struct QueryAgreementTests {
    /// A query's answer reduced to what must agree: the result type and, per series, its points.
    struct Answer: Equatable, CustomStringConvertible {
        var error: String? = nil
        var type = ""
        var series: [String: [(t: Double, v: String)]] = [:]

        static func == (a: Answer, b: Answer) -> Bool {
            if (a.error == nil) != (b.error == nil) { return false }
            guard a.type == b.type, a.series.keys.sorted() == b.series.keys.sorted() else { return false }
            return a.series.allSatisfy { key, points in
                let other = b.series[key]!
                return points.count == other.count && zip(points, other).allSatisfy { $0.t == $1.t && close($0.v, $1.v) }
            }
        }

        /// The answer with `__name__` taken out of every series (for a known 2.42 difference).
        func withoutNames() -> Answer {
            var out = self
            out.series = Dictionary(series.map { key, points in
                (key.split(separator: ",").filter { !$0.hasPrefix("__name__=") }.joined(separator: ","), points)
            }, uniquingKeysWith: { a, _ in a })
            return out
        }

        var description: String { error.map { "error: \($0)" } ?? "\(type) \(series.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.map { "\($0.v)@\($0.t)" })" })" }
    }

    /// Values within 1e-9 relative (an absolute 1e-12 near zero, where summation order shows), NaN equal to NaN.
    static func close(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        guard let x = Double(a.replacingOccurrences(of: "+Inf", with: "inf")), let y = Double(b.replacingOccurrences(of: "+Inf", with: "inf")) else { return false }
        if x.isNaN || y.isNaN { return x.isNaN && y.isNaN }
        if x.isInfinite || y.isInfinite { return x == y }
        return abs(x - y) <= max(1e-9 * max(abs(x), abs(y)), 1e-12)
    }

    static func answer(_ body: String) -> Answer {
        guard let json = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return Answer(error: "not JSON: \(body.prefix(200))") }
        guard json["status"] as? String == "success", let data = json["data"] as? [String: Any] else {
            return Answer(error: json["error"] as? String ?? "no data")
        }
        var out = Answer(type: data["resultType"] as? String ?? "")
        func point(_ p: Any?) -> (Double, String)? {
            guard let pair = p as? [Any], pair.count == 2, let t = (pair[0] as? NSNumber)?.doubleValue, let v = pair[1] as? String else { return nil }
            return (t, v)
        }
        switch out.type {
        case "scalar", "string":
            if let p = point(data["result"]) { out.series[""] = [p] }
        default:
            for s in data["result"] as? [[String: Any]] ?? [] {
                let labels = (s["metric"] as? [String: String] ?? [:]).sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                let points = s["value"].flatMap(point).map { [$0] } ?? (s["values"] as? [Any] ?? []).compactMap(point)
                out.series[labels] = points
            }
        }
        return out
    }

    /// The millisecond phase (within the 1 s scrape interval) farthest from every target's
    /// sample timestamps and from whole seconds (where subquery steps fall).
    static func quietPhase(_ timestamps: [Int64]) -> Int64 {
        let phases = timestamps.map { (($0 % 1000) + 1000) % 1000 } + [0]
        func distance(_ p: Int64) -> Int64 { phases.map { min(abs(p - $0), 1000 - abs(p - $0)) }.min() ?? 500 }
        return (0..<1000).max { distance(Int64($0)) < distance(Int64($1)) }.map(Int64.init) ?? 500
    }

    @Test func scalewatchAnswersAsPrometheus242Does() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let simulate = try ChildProcess(scalewatchExecutable, ["simulate", "--listen", "127.0.0.1:0"])
        defer { Task { await simulate.stop() } }
        let simLine = try #require(await simulate.waitForLine(containing: "listening on"))
        let simURL = try #require(ChildProcess.url(in: simLine))
        let targets = try await EndToEndTests.get(simURL + "/targets")
        try targets.body.write(toFile: dir.path + "/targets.json", atomically: true, encoding: .utf8)

        let configPath = dir.path + "/scalewatch.yml"
        try "storage: {path: \(dir.path)/data}\n".write(toFile: configPath, atomically: true, encoding: .utf8)
        let run = try ChildProcess(scalewatchExecutable, ["run", "--config", configPath, "--web.listen-address", "127.0.0.1:0"])
        defer { Task { await run.stop() } }
        let runLine = try #require(await run.waitForLine(containing: "listening on"))
        let url = try #require(ChildProcess.url(in: runLine))

        let promPort = freeLoopbackPort()
        try """
            global: {scrape_interval: 1s, scrape_timeout: 900ms}
            remote_write:
              - url: \(url)/api/v1/write
                queue_config: {batch_send_deadline: 500ms}
            scrape_configs:
              - job_name: simulated
                file_sd_configs: [{files: ['\(dir.path)/targets.json']}]
            """.write(toFile: dir.path + "/prometheus.yml", atomically: true, encoding: .utf8)
        let prometheus = try ChildProcess("/usr/bin/prometheus", [
            "--config.file=\(dir.path)/prometheus.yml", "--storage.tsdb.path=\(dir.path)/prom", "--web.listen-address=127.0.0.1:\(promPort)",
        ])
        defer { Task { await prometheus.stop() } }
        let api = "http://127.0.0.1:\(promPort)"
        #expect(await EndToEndTests.eventually(30) {
            try await EndToEndTests.post(api + "/api/v1/query", [("query", "count(up == 1)")]).contains(#","6"]"#)
        }, "\(prometheus.output.suffix(5))")
        // Enough history for 30 s windows over a 30 s range, and for [1m] at the end of it.
        try await Task.sleep(for: .seconds(70))

        let upHistory = try await EndToEndTests.post(api + "/api/v1/query", [("query", "up[5s]")])
        let stamps = try NSRegularExpression(pattern: #"\[([0-9]+\.?[0-9]*),""#).matches(in: upHistory, range: NSRange(upHistory.startIndex..., in: upHistory))
            .compactMap { Range($0.range(at: 1), in: upHistory).flatMap { Double(upHistory[$0]) }.map { Int64(($0 * 1000).rounded()) } }
        #expect(stamps.count >= 6)
        let nowMs = Int64(Date().timeIntervalSince1970 * 1000)
        // Five seconds back, so remote write has delivered every sample up to then.
        let t = (nowMs - 5_000) / 1000 * 1000 + Self.quietPhase(stamps)
        let seconds = { (ms: Int64) in String(format: "%.3f", Double(ms) / 1000) }
        try await Task.sleep(for: .seconds(2))

        let queries = AgreementQueries.all(at: Double(t) / 1000)
        var disagreements: [String] = []
        var answered = 0
        for q in queries {
            for form in [[("query", q), ("time", seconds(t))],
                         [("query", q), ("start", seconds(t - 30_000)), ("end", seconds(t)), ("step", "5")]] {
                let path = form.count == 2 ? "/api/v1/query" : "/api/v1/query_range"
                var theirs = Self.answer(try await EndToEndTests.post(api + path, form))
                if AgreementQueries.knownDifferences[q] != nil { theirs = theirs.withoutNames() }
                let ours = Self.answer(try await EndToEndTests.post(url + path, form))
                if theirs.error == nil && !theirs.series.isEmpty { answered += 1 }
                if ours != theirs { disagreements.append("\(path) \(q)\n  ours:   \(ours)\n  theirs: \(theirs)") }
            }
        }
        for (q, reason) in AgreementQueries.knownDifferences { print("known difference: \(q): \(reason)") }
        print("PromQL agreement with Prometheus 2.42: \(queries.count) queries, each instant and range (\(queries.count * 2) comparisons), \(answered) non-empty answers from Prometheus, \(disagreements.count) disagreements")
        #expect(queries.count >= 150)
        #expect(answered >= 2 * queries.count - 40, "too few answers carry data: the comparison would be hollow")
        #expect(disagreements.isEmpty, "\(disagreements.joined(separator: "\n"))")
        #expect(await prometheus.stop() == 0)
        #expect(await run.stop() == 0)
    }
}
