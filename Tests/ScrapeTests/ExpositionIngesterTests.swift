import Exposition
import Scrape
import Testing
import TestSupport
import TSDB

/// A store and one target's ingester, scraped with explicit times.
final class IngestHarness {
    let storage: Storage
    var ingester: ExpositionIngester

    init(target: [Label] = [Label("instance", "10.0.0.1:2112"), Label("job", "modelmesh")], rules: ScrapeRules = ScrapeRules()) throws {
        storage = try Storage(options: StorageOptions())
        ingester = ExpositionIngester(targetLabels: target, rules: rules)
    }

    /// One scrape: commits on success; on failure rolls back and marks everything stale, as the loop does.
    @discardableResult
    func scrape(_ body: String, at t: Int64, format: ExpositionFormat = .prometheusText) -> Result<ExpositionIngester.Report, ExpositionIngester.Failure> {
        let app = storage.appender()
        do {
            let report = try ingester.ingest(Array(body.utf8), format: format, timestampMs: t, into: app)
            app.commit()
            return .success(report)
        } catch {
            app.rollback()
            let stale = storage.appender()
            ingester.markAllStale(at: t, into: stale)
            stale.commit()
            return .failure(error)
        }
    }

    func samples(_ name: String) -> [String: [(t: Int64, v: Double)]] {
        var out: [String: [(t: Int64, v: Double)]] = [:]
        for s in storage.querier().select([.equal("__name__", name)], minTime: .min, maxTime: .max) {
            out[s.labels.description] = s.samples()
        }
        return out
    }

    func labelSets(_ name: String) -> [Labels] {
        storage.querier().select([.equal("__name__", name)], minTime: .min, maxTime: .max).map(\.labels)
    }
}

func isStale(_ v: Double) -> Bool { StalenessMarker.isStale(v) }

@Suite struct ExpositionIngesterTests {
    @Test(arguments: Fixtures.names)
    func steadyStateScrapesHitTheSeriesCache(name: String) throws {
        let body = try Fixtures.bytes(name)
        let storage = try Storage(options: StorageOptions())
        var ingester = ExpositionIngester(targetLabels: [Label("instance", "10.0.0.1:8443"), Label("job", "kueue")])
        let app = storage.appender()
        let first = try ingester.ingest(body, format: .prometheusText, timestampMs: 15_000, into: app)
        app.commit()
        let expected = try parseAll(body, .prometheusText).count
        #expect(first.samples == expected)
        #expect(first.appended == expected)
        #expect(first.seriesAdded == expected)
        let second = try ingester.ingest(body, format: .prometheusText, timestampMs: 30_000, into: app)
        app.commit()
        #expect(second.seriesAdded == 0)
        #expect(second.appended == expected)
        #expect(second.staleMarkers == 0)
        #expect(storage.head.seriesCount == expected)
        let selected = storage.querier().select([.equal("job", "kueue")], minTime: 0, maxTime: 60_000)
        #expect(selected.count == expected)
        #expect(selected.allSatisfy { $0.samples().map(\.t) == [15_000, 30_000] })
    }

    @Test func conflictingExposedLabelsAreRenamedExported() throws {
        let h = try IngestHarness()
        h.scrape("m{job=\"exposed\",exported_job=\"taken\",a=\"\",b=\"x\"} 1\n", at: 1)
        #expect(h.labelSets("m") == [Labels([
            "__name__": "m", "b": "x", "job": "modelmesh", "instance": "10.0.0.1:2112",
            "exported_job": "taken", "exported_exported_job": "exposed",
        ])])
    }

    @Test func honorLabelsKeepsExposedValuesAndFillsTheRest() throws {
        let h = try IngestHarness(rules: ScrapeRules(honorLabels: true))
        h.scrape("m{job=\"federated\"} 1\n", at: 1)
        #expect(h.labelSets("m") == [Labels(["__name__": "m", "job": "federated", "instance": "10.0.0.1:2112"])])
    }

    @Test func vanishedSeriesGetOneStaleMarker() throws {
        let h = try IngestHarness()
        h.scrape("a 1\nb 1\n", at: 1000)
        let second = try h.scrape("a 2\n", at: 2000).get()
        #expect(second.staleMarkers == 1)
        h.scrape("a 3\n", at: 3000)
        let b = try #require(h.samples("b").values.first)
        #expect(b.map(\.t) == [1000, 2000])
        #expect(isStale(b[1].v))
        #expect(h.samples("a").values.first?.map(\.v) == [1, 2, 3])
        // It comes back: a plain sample after the marker.
        h.scrape("a 4\nb 9\n", at: 4000)
        #expect(h.samples("b").values.first?.last?.v == 9)
    }

    @Test func seriesWithTheirOwnTimestampsAreNotMarkedStale() throws {
        let honoring = try IngestHarness()
        honoring.scrape("a 1 500\nb 1\n", at: 1000)
        honoring.scrape("b 2\n", at: 2000)
        #expect(honoring.samples("a").values.first?.count == 1)
        // With honor_timestamps: false the exposed timestamp is ignored, so staleness applies.
        let ignoring = try IngestHarness(rules: ScrapeRules(honorTimestamps: false))
        ignoring.scrape("a 1 500\nb 1\n", at: 1000)
        ignoring.scrape("b 2\n", at: 2000)
        let a = try #require(ignoring.samples("a").values.first)
        #expect(a.map(\.t) == [1000, 2000])
        #expect(isStale(a[1].v))
    }

    @Test func aFailedScrapeMarksEverySeriesStaleAndStoresNothingOfItself() throws {
        let h = try IngestHarness()
        h.scrape("a 1\nb 1\n", at: 1000)
        let failed = h.scrape("a 2\nb{ 3\n", at: 2000)
        guard case .failure(let f) = failed, case .parse(let text) = f.error else {
            Issue.record("expected a parse failure, got \(failed)")
            return
        }
        #expect(text.text.contains("line 2"))
        for (_, samples) in h.samples("a").merging(h.samples("b"), uniquingKeysWith: { $1 }) {
            #expect(samples.map(\.t) == [1000, 2000])
            #expect(isStale(samples[1].v))
        }
        // The next success stores again and does not mark anything twice.
        let next = try h.scrape("a 5\n", at: 3000).get()
        #expect(next.staleMarkers == 0)
        #expect(h.samples("a").values.first?.last?.v == 5)
    }

    @Test func sampleLimitFailsTheWholeScrapeAndCountsEverything() throws {
        var limits = ScrapeLimits()
        limits.sampleLimit = 2
        let h = try IngestHarness(rules: ScrapeRules(limits: limits))
        let result = h.scrape("a 1\nb 1\nc 1\n", at: 1000)
        guard case .failure(let f) = result else {
            Issue.record("limit not enforced")
            return
        }
        #expect(f.error == .sampleLimit(limit: 2))
        #expect(f.error.description == "sample limit exceeded")
        #expect(f.report.samples == 3)
        #expect(h.samples("a").isEmpty && h.samples("b").isEmpty)
        #expect(try h.scrape("a 1\nb 1\n", at: 2000).get().appended == 2)
    }

    @Test func labelLimitsFailTheScrapeWithPrometheusMessages() throws {
        var count = ScrapeLimits()
        count.labelLimit = 3
        var name = ScrapeLimits()
        name.labelNameLengthLimit = 5
        var value = ScrapeLimits()
        value.labelValueLengthLimit = 4
        let cases: [(ScrapeLimits, String)] = [
            (count, "label_limit exceeded (metric: m, number of labels: 4, limit: 3)"),
            (name, "label_name_length_limit exceeded (metric: m, label name: __name__, length: 8, limit: 5)"),
            (value, "label_value_length_limit exceeded (metric: m, label name: instance, value: \"10.0.0.1:2112\", length: 13, limit: 4)"),
        ]
        for (limits, message) in cases {
            let h = try IngestHarness(rules: ScrapeRules(limits: limits))
            guard case .failure(let f) = h.scrape("m{a=\"b\"} 1\n", at: 1) else {
                Issue.record("not enforced: \(message)")
                continue
            }
            #expect(f.error.description == message)
            #expect(h.samples("m").isEmpty)
        }
    }

    @Test func metricRelabelingDropsAndRewrites() throws {
        let configs = try RelabelTests.configs("""
            - {source_labels: [__name__], regex: "go_.*", action: drop}
            - {source_labels: [model], target_label: model_name}
            - {regex: model, action: labeldrop}
            """)
        let h = try IngestHarness(rules: ScrapeRules(metricRelabelConfigs: configs))
        let body = "go_goroutines 7\nrequests_total{model=\"llama\"} 3\n"
        let first = try h.scrape(body, at: 1).get()
        #expect(first.samples == 2)
        #expect(first.postRelabel == 1)
        #expect(h.samples("go_goroutines").isEmpty)
        #expect(h.labelSets("requests_total").first?["model_name"] == "llama")
        #expect(h.labelSets("requests_total").first?["model"] == nil)
        let second = try h.scrape(body, at: 2).get()
        #expect(second.seriesAdded == 0)
        #expect(second.postRelabel == 1)
    }

    @Test func duplicateSamplesInOneBodyAreRejectedAndCounted() throws {
        let h = try IngestHarness()
        let report = try h.scrape("m 1\nm 2\n", at: 1).get()
        #expect(report.rejected == 1)
        #expect(report.firstRejection?.contains("duplicate sample for timestamp") == true)
    }
}
