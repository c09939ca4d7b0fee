#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// The write-ahead log: commits append framed records to an in-memory buffer, and `flush()`
/// (every `storage.wal_flush_interval`, and at shutdown) writes them to the current segment
/// file. After `kill -9`, everything flushed is restored; a torn tail is cut off at restart.
public final class WAL: Sendable {
    public let directory: String
    static let segmentLimit = 64 << 20

    private let buffer = Mutex<[UInt8]>([])
    private let file: Mutex<SegmentFile>

    struct SegmentFile: Sendable {
        var index: Int
        var fd: Int32
        var size: Int
    }

    /// Opens the log in `directory`, starting a fresh segment after `lastSegment`.
    init(directory: String, startingAfter lastSegment: Int) throws(StorageError) {
        self.directory = directory
        try FileIO.makeDirectory(directory)
        let index = lastSegment + 1
        let fd = try FileIO.openForAppend(Self.segmentPath(directory, index))
        file = Mutex(SegmentFile(index: index, fd: fd, size: 0))
    }

    static func segmentPath(_ directory: String, _ index: Int) -> String {
        let digits = String(index)
        return directory + "/" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Indexes of the segment files in `directory`, ascending.
    static func segments(in directory: String) -> [Int] {
        FileIO.list(directory).compactMap { $0.count == 8 ? Int($0) : nil }.sorted()
    }

    /// Queues encoded records for the next flush.
    func log(_ record: [UInt8]) {
        guard !record.isEmpty else { return }
        buffer.withLock { $0.append(contentsOf: record) }
    }

    /// Bytes of the segment files on disk.
    public var diskBytes: Int {
        Self.segments(in: directory).reduce(0) { $0 + FileIO.size(Self.segmentPath(directory, $1)) }
    }

    /// Bytes logged but not yet written.
    public var pendingBytes: Int { buffer.withLock { $0.count } }

    /// Writes everything logged so far to the segment file (order kept across concurrent flushes).
    public func flush() throws(StorageError) {
        try file.withLock { (f) throws(StorageError) in
            var out: [UInt8] = []
            buffer.withLock { swap(&out, &$0) }
            guard !out.isEmpty else { return }
            let path = Self.segmentPath(directory, f.index)
            let fd = f.fd
            try FileIO.writeAll(fd, out, path: path)
            f.size += out.count
            if f.size >= Self.segmentLimit { try rotate(&f) }
            out.removeAll(keepingCapacity: true)
            buffer.withLock { if $0.isEmpty { swap(&out, &$0) } }
        }
    }

    /// Flushes, then starts a new segment; returns its index. Records logged after this call land
    /// in the new segment or later.
    func cut() throws(StorageError) -> Int {
        try file.withLock { (f) throws(StorageError) -> Int in
            var out: [UInt8] = []
            buffer.withLock { swap(&out, &$0) }
            if !out.isEmpty {
                let fd = f.fd
                let path = Self.segmentPath(directory, f.index)
                try FileIO.writeAll(fd, out, path: path)
            }
            try rotate(&f)
            return f.index
        }
    }

    private func rotate(_ f: inout SegmentFile) throws(StorageError) {
        fsync(f.fd)
        Glibc.close(f.fd)
        f.index += 1
        f.fd = try FileIO.openForAppend(Self.segmentPath(directory, f.index))
        f.size = 0
    }

    /// Deletes segments older than `index` (covered by a snapshot).
    func removeSegments(before index: Int) {
        for s in Self.segments(in: directory) where s < index {
            FileIO.remove(Self.segmentPath(directory, s))
        }
    }

    /// Flushes, syncs and closes the current segment.
    func close() throws(StorageError) {
        try flush()
        file.withLock { f in
            fsync(f.fd)
            Glibc.close(f.fd)
            f.fd = -1
        }
    }
}
