import ScalewatchApp
import Testing
import TestSupport
import TSDB

@Suite struct OpenMetricsImportTests {
    @Test func backfillSortsEachSeriesAndSurvivesReopening() throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let body = """
            # TYPE kueue_pending_workloads gauge
            kueue_pending_workloads{cluster_queue="team-a-cq",status="active"} 3 1700000030
            kueue_pending_workloads{cluster_queue="team-a-cq",status="active"} 1 1700000000
            kueue_pending_workloads{cluster_queue="team-b-cq",status="active"} 2 1700000000.5
            # EOF

            """
        let storage = try Storage(options: StorageOptions(path: dir.path, retentionMs: 1 << 50))
        let report = try OpenMetricsImport.run(body: Array(body.utf8), file: "in.om", into: storage)
        #expect(report.series == 2)
        #expect(report.samples == 3)
        #expect(report.rejected == 0)
        try storage.close()
        let reopened = try Storage(options: StorageOptions(path: dir.path, retentionMs: 1 << 50))
        let a = try #require(reopened.querier().select([.equal("cluster_queue", "team-a-cq")], minTime: .min, maxTime: .max).first)
        #expect(a.samples().map(\.t) == [1_700_000_000_000, 1_700_000_030_000])
        #expect(a.samples().map(\.v) == [1, 3])
        let b = try #require(reopened.querier().select([.equal("cluster_queue", "team-b-cq")], minTime: .min, maxTime: .max).first)
        #expect(b.samples().map(\.t) == [1_700_000_000_500])
        try reopened.close()
    }

    @Test func everySampleNeedsATimestampAndTheFileItsEOF() throws {
        let storage = try Storage(options: StorageOptions())
        #expect(throws: OpenMetricsImport.Failure.self) {
            try OpenMetricsImport.run(body: Array("# TYPE m gauge\nm 1\n# EOF\n".utf8), file: "f.om", into: storage)
        }
        do {
            _ = try OpenMetricsImport.run(body: Array("# TYPE m gauge\nm 1 1\n".utf8), file: "g.om", into: storage)
            Issue.record("a file without # EOF must be refused")
        } catch {
            #expect(error.description.hasPrefix("g.om: "), "\(error)")
        }
    }
}
