import ConfigSupport
import Foundation
import Hummingbird
import Logging
import Scrape
import Synchronization
import Testing
import TestSupport
import TSDB

/// Scrape loops and pools over real loopback targets, at a fast interval.
@Suite struct ScrapePoolTests {
    static func job(_ name: String = "test", interval: Int64 = 200) -> ScrapeConfig {
        var c = ScrapeConfig(jobName: name)
        c.scrapeInterval = ConfigDuration(milliseconds: interval)
        c.scrapeTimeout = ConfigDuration(milliseconds: interval)
        return c
    }

    static func latest(_ storage: Storage, _ name: String, _ extra: [LabelMatcher] = []) -> [String: (t: Int64, v: Double)] {
        var out: [String: (t: Int64, v: Double)] = [:]
        for s in storage.querier().select([.equal("__name__", name)] + extra, minTime: .min, maxTime: .max) {
            if let last = s.samples().last { out[s.labels["instance"] ?? ""] = last }
        }
        return out
    }

    /// Polls until `condition` holds (at most `seconds`).
    static func eventually(_ seconds: Double = 5, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1000))
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }

    @Test func badTargetsFailAloneAndRemovedTargetsGoStale() async throws {
        let good = try await TestTargetServer.start { _ in TestTargetServer.text("requests_total 5\n") }
        let garbage = try await TestTargetServer.start { _ in TestTargetServer.text("requests_total{ oops\n\u{1}\u{2}binary") }
        let storage = try Storage(options: StorageOptions())
        let scraper = HTTPScraper()
        // A 1 s timeout: under a busy CI machine a 200 ms one can time out before the garbage is read.
        let pool = ScrapePool(config: Self.job(interval: 1_000), storage: storage, scraper: scraper, logger: Logger(label: "test"), seed: 1)
        let goodAddress = "127.0.0.1:\(good.port)", badAddress = "127.0.0.1:\(garbage.port)"
        await pool.sync([TargetGroup(targets: [goodAddress, badAddress, "127.0.0.1:1"], source: "test")], fromFiles: false)
        let healthy = await Self.eventually(15) {
            let up = Self.latest(storage, "up")
            return up[goodAddress]?.v == 1 && up[badAddress]?.v == 0 && up["127.0.0.1:1"]?.v == 0
        }
        #expect(healthy, "\(Self.latest(storage, "up"))")
        let errors = Dictionary(pool.activeTargets.map { ($0.target[label: "instance"] ?? "", $0.health.withLock { $0.lastError }) }, uniquingKeysWith: { a, _ in a })
        #expect(errors[goodAddress] == "")
        #expect(errors[badAddress]?.contains("line 1") == true, "\(errors)")
        #expect(errors["127.0.0.1:1"]?.contains("connection failed") == true, "\(errors)")
        #expect(Self.latest(storage, "requests_total")[goodAddress]?.v == 5)
        #expect(Self.latest(storage, "requests_total")[badAddress] == nil)

        // The good target goes away: its series and its `up` end with a stale marker.
        await pool.sync([TargetGroup(targets: [badAddress], source: "test")], fromFiles: false)
        #expect(StalenessMarker.isStale(try #require(Self.latest(storage, "requests_total")[goodAddress]).v))
        #expect(StalenessMarker.isStale(try #require(Self.latest(storage, "up")[goodAddress]).v))
        #expect(pool.activeTargets.count == 1)
        await pool.stop(markStale: false)
        try await scraper.shutdown()
        await good.stop()
        await garbage.stop()
    }

    @Test func relabelingDropsTargetsAndSetsLabels() async throws {
        var config = Self.job()
        config.relabelConfigs = try RelabelTests.configs("""
            - {source_labels: [__address__], regex: ".*:1", action: drop}
            - {source_labels: [team], target_label: owner}
            - {target_label: __param_module, replacement: kueue}
            """)
        let group = TargetGroup(targets: ["10.0.0.1:8443", "10.0.0.2:1", "vllm-0"], labels: ["team": "ml"], source: "test")
        var built: [ScrapeTarget] = []
        for address in group.targets {
            if let t = try TargetBuilder.build(address: address, group: group, config: config) { built.append(t) }
        }
        #expect(built.map(\.url) == ["http://10.0.0.1:8443/metrics?module=kueue", "http://vllm-0:80/metrics?module=kueue"])
        #expect(built[0].labels.map { "\($0.name)=\($0.value)" } == ["instance=10.0.0.1:8443", "job=test", "owner=ml", "team=ml"])
        #expect(built[1][label: "instance"] == "vllm-0:80")
    }

    @Test func fileDiscoveryFollowsFileChanges() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/targets.json"
        try #"[{"targets": ["10.0.0.1:2112"], "labels": {"zone": "a"}}]"#.write(toFile: path, atomically: true, encoding: .utf8)
        let seen = Mutex<[[String]]>([])
        let discovery = FileDiscovery(configs: [FileSDConfig(files: [dir.path + "/*.json"])], logger: Logger(label: "test"))
        let task = Task {
            await discovery.run(pollInterval: .milliseconds(50)) { groups in
                seen.withLock { $0.append(groups.flatMap(\.targets)) }
            }
        }
        #expect(await Self.eventually { seen.withLock { $0.last } == ["10.0.0.1:2112"] })
        try """
            - targets: ['10.0.0.1:2112', '10.0.0.2:2112']
              labels: {zone: b}
            """.write(toFile: dir.path + "/more.yml.json", atomically: true, encoding: .utf8)
        #expect(await Self.eventually { seen.withLock { $0.last?.count } == 3 })
        // A broken file keeps what it last gave; a removed one takes its targets away.
        try "[{\"targets\": [".write(toFile: path, atomically: true, encoding: .utf8)
        try await Task.sleep(for: .milliseconds(200))
        #expect(seen.withLock { $0.last?.count } == 3)
        try FileManager.default.removeItem(atPath: dir.path + "/more.yml.json")
        #expect(await Self.eventually { seen.withLock { $0.last } == ["10.0.0.1:2112"] })
        task.cancel()
        await task.value
    }

    @Test func badFileSDContentNamesFileLineAndKey() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let path = dir.path + "/t.yml"
        try "- targets: ['a:1']\n  lables: {x: y}\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigError.self) { try TargetGroupFile.read(path: path) }
        do {
            _ = try TargetGroupFile.read(path: path)
        } catch {
            #expect(error.description.contains("\(path):2:3: [0].lables: unknown key"), "\(error)")
        }
    }
}
