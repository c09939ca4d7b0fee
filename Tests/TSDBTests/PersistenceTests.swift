import Foundation
import Logging
import Testing
import TestSupport
@testable import TSDB

/// Each test gets its own store directory, removed when the test ends.
@Suite final class PersistenceTests {
    let dir: TemporaryDirectory
    let options: StorageOptions

    init() throws {
        dir = try Fixtures.temporaryDirectory()
        options = StorageOptions(path: dir.path)
    }

    deinit { dir.cleanup() }

    func fill(_ storage: Storage, series: Int, samples: Int, from start: Int64 = 0) throws {
        let app = storage.appender()
        for s in 0..<series {
            let labels = Labels(["__name__": "m", "series": String(s)])
            for i in 0..<samples { try app.append(labels, start + Int64(i) * 1000, Double(s * 1000 + i)) }
        }
        app.commit()
    }

    /// Two batches, each flushed to the WAL, then a crash (no close): both batches are on disk.
    func writeTwoFlushedBatches(_ options: StorageOptions, series: Int, samples: Int) throws {
        let storage = try Storage(options: options)
        try fill(storage, series: series, samples: samples)
        try storage.flushWAL()
        try fill(storage, series: series, samples: samples, from: 100_000)
        try storage.flushWAL()
    }

    func count(_ storage: Storage) -> Int {
        storage.querier().select([.equal("__name__", "m")], minTime: .min, maxTime: .max).reduce(0) { $0 + $1.samples().count }
    }

    @Test func cleanCloseRestoresEverythingFromTheSnapshot() throws {
        do {
            let storage = try Storage(options: options)
            try fill(storage, series: 20, samples: 300)
            try storage.close()
        }
        let reopened = try Storage(options: options)
        #expect(reopened.restoreStats.seriesFromSnapshot == 20)
        #expect(reopened.restoreStats.samplesFromWAL == 0)
        #expect(count(reopened) == 6000)
        // The open chunk resumes bit for bit: appending continues the same series.
        try fill(reopened, series: 20, samples: 10, from: 300_000)
        #expect(count(reopened) == 6200)
        let first = reopened.querier().select([.equal("series", "3")], minTime: .min, maxTime: .max)[0].samples()
        #expect(first.last?.v == 3009)
        #expect(first.count == 310)
    }

    @Test func crashAfterFlushLosesNothingFlushed() throws {
        do {
            let storage = try Storage(options: options)
            try fill(storage, series: 5, samples: 100)
            try storage.flushWAL()
            try fill(storage, series: 5, samples: 10, from: 1_000_000)
            // kill -9: no close, no snapshot, the unflushed tail is gone.
        }
        let reopened = try Storage(options: options)
        #expect(reopened.restoreStats.seriesFromWAL == 5)
        #expect(count(reopened) == 500)
    }

    @Test func snapshotPlusLaterWALReplay() throws {
        do {
            let storage = try Storage(options: options)
            try fill(storage, series: 5, samples: 100)
            try storage.snapshot()
            try fill(storage, series: 7, samples: 50, from: 200_000)
            try storage.flushWAL()
        }
        let reopened = try Storage(options: options)
        #expect(reopened.restoreStats.seriesFromSnapshot == 5)
        #expect(count(reopened) == 500 + 350)
        let walFiles = try FileManager.default.contentsOfDirectory(atPath: dir.path + "/wal")
        #expect(!walFiles.contains("00000001"), "segments covered by the snapshot are deleted")
    }

    @Test func tornWALTailIsCutWithAWarningNamingFileAndOffset() throws {
        try writeTwoFlushedBatches(options, series: 3, samples: 10)
        let segment = dir.path + "/wal/00000001"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: segment))
        let goodLength = bytes.count
        bytes.removeLast(7)
        try bytes.write(to: URL(fileURLWithPath: segment))
        let logs = LogCapture()
        let reopened = try Storage(options: options, logger: logs.logger)
        #expect(count(reopened) == 30, "the first, intact batch survives")
        let warning = try #require(logs.messages.first { $0.contains("00000001") })
        #expect(warning.contains("offset"))
        #expect(warning.contains("torn write"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: segment)).count < goodLength - 7)
    }

    @Test func corruptByteInTheWALIsFoundByChecksum() throws {
        try writeTwoFlushedBatches(options, series: 2, samples: 5)
        let segment = URL(fileURLWithPath: dir.path + "/wal/00000001")
        var bytes = try Data(contentsOf: segment)
        bytes[bytes.count - 3] ^= 0xff
        try bytes.write(to: segment)
        let logs = LogCapture()
        let reopened = try Storage(options: options, logger: logs.logger)
        #expect(count(reopened) == 10)
        #expect(logs.messages.contains { $0.contains("checksum mismatch") })
    }

    @Test func corruptSnapshotKeepsWhatWasReadAndStarts() throws {
        do {
            let storage = try Storage(options: options)
            try fill(storage, series: 10, samples: 20)
            try storage.close()
        }
        let name = try #require(try FileManager.default.contentsOfDirectory(atPath: dir.path).first { $0.hasPrefix("snapshot-") })
        let url = URL(fileURLWithPath: dir.path + "/" + name)
        var bytes = try Data(contentsOf: url)
        bytes[bytes.count / 2] ^= 0x55
        try bytes.write(to: url)
        let logs = LogCapture()
        let reopened = try Storage(options: options, logger: logs.logger)
        #expect(reopened.restoreStats.seriesFromSnapshot > 0)
        #expect(reopened.restoreStats.seriesFromSnapshot < 10)
        #expect(logs.messages.contains { $0.contains(name) && $0.contains("offset") })
    }

    @Test func garbageFilesNeverStopStartUp() throws {
        try FileManager.default.createDirectory(atPath: dir.path + "/wal", withIntermediateDirectories: true)
        var rng = SplitMix64(seed: 3)
        try Data((0..<5000).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).write(to: URL(fileURLWithPath: dir.path + "/wal/00000001"))
        try Data("SWSNAP1\n".utf8 + (0..<100).map { _ in UInt8(truncatingIfNeeded: rng.next()) }).write(to: URL(fileURLWithPath: dir.path + "/snapshot-00000001"))
        let storage = try Storage(options: options)
        #expect(storage.head.seriesCount == 0)
        try fill(storage, series: 1, samples: 3)
        #expect(count(storage) == 3)
    }
}

/// Collects log messages so tests can check warnings.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    var messages: [String] { lock.withLock { stored } }

    var logger: Logger {
        Logger(label: "test") { _ in Handler(capture: self) }
    }

    func record(_ message: String) { lock.withLock { stored.append(message) } }

    struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) { capture.record(event.message.description) }
    }
}
