import Exposition
import Scrape
import Testing
import TestSupport
import TSDB

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
        #expect(storage.head.seriesCount == expected)
        let selected = storage.querier().select([.equal("job", "kueue")], minTime: 0, maxTime: 60_000)
        #expect(selected.count == expected)
        #expect(selected.allSatisfy { $0.samples().map(\.t) == [15_000, 30_000] })
    }

    @Test func emptyLabelValuesAreAbsentAndTargetLabelsWin() throws {
        let storage = try Storage(options: StorageOptions())
        var ingester = ExpositionIngester(targetLabels: [Label("job", "kueue")])
        let app = storage.appender()
        _ = try ingester.ingest(Array("m{a=\"\",job=\"exposed\",b=\"x\"} 1\n".utf8), format: .prometheusText, timestampMs: 1, into: app)
        app.commit()
        let series = try #require(storage.querier().select([.equal("__name__", "m")], minTime: 0, maxTime: 10).first)
        #expect(series.labels == Labels(["__name__": "m", "b": "x", "job": "kueue"]))
    }

    @Test func duplicateSamplesInOneBodyAreRejectedAndCounted() throws {
        let storage = try Storage(options: StorageOptions())
        var ingester = ExpositionIngester()
        let app = storage.appender()
        let report = try ingester.ingest(Array("m 1\nm 2\n".utf8), format: .prometheusText, timestampMs: 1, into: app)
        #expect(report.rejected == 1)
        #expect(report.firstRejection?.contains("duplicate sample for timestamp") == true)
    }

    @Test func aParseErrorSurfacesWithItsLine() throws {
        let storage = try Storage(options: StorageOptions())
        var ingester = ExpositionIngester()
        let app = storage.appender()
        #expect(throws: ExpositionError.self) {
            _ = try ingester.ingest(Array("m 1\nm{ 2\n".utf8), format: .prometheusText, timestampMs: 1, into: app)
        }
        app.rollback()
        #expect(storage.querier().select([.equal("__name__", "m")], minTime: 0, maxTime: 10).isEmpty)
    }
}
