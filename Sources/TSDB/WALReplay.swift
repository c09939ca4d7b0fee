import Logging

/// Replays WAL segments into a head. A torn or corrupt record ends its segment: the file is cut
/// back to the last good record with a warning naming file and offset, and replay goes on with
/// the next segment. Start-up never fails on a bad WAL.
struct WALReplay {
    var seriesRestored = 0
    var samplesRestored = 0
    var samplesSkipped = 0

    mutating func replay(segment path: String, into head: Head, logger: Logger) {
        let bytes: [UInt8]
        do {
            bytes = try FileIO.readAll(path)
        } catch {
            logger.warning("WAL segment \(path): \(error); skipping it")
            return
        }
        var cutAt: Int? = nil
        bytes.withUnsafeBytes { raw in
            var offset = 0
            while true {
                let start = offset
                switch WALRecord.read(raw, at: &offset) {
                case .end:
                    return
                case .corrupt(let at, let reason):
                    logger.warning("WAL segment \(path): \(reason) at offset \(at); dropping the \(raw.count - at) bytes after it")
                    cutAt = at
                    return
                case .record(let kind, let body):
                    if !apply(kind, body, head) {
                        logger.warning("WAL segment \(path): malformed record at offset \(start); dropping the rest of the segment")
                        cutAt = start
                        return
                    }
                }
            }
        }
        if let cutAt {
            do { try FileIO.truncate(path, to: cutAt) } catch { logger.warning("WAL segment \(path): \(error)") }
        }
    }

    private mutating func apply(_ kind: WALRecord.Kind, _ body: UnsafeRawBufferPointer, _ head: Head) -> Bool {
        var r = ByteReader(body)
        switch kind {
        case .series:
            guard let n = r.uvarint() else { return false }
            for _ in 0..<n {
                guard let ref = r.uvarint(), let labels = WALRecord.decodeLabels(&r) else { return false }
                head.restore(labels, ref: ref)
                seriesRestored += 1
            }
        case .samples:
            guard let n = r.uvarint(), let baseRef = r.uvarint(), let baseT = r.varint() else { return false }
            var maxT = Int64.min
            for _ in 0..<n {
                guard let dRef = r.varint(), let dT = r.varint(), let bits = r.uint64() else { return false }
                let ref = baseRef &+ UInt64(bitPattern: dRef)
                let t = baseT &+ dT
                guard let series = head.series(ref: ref) else {
                    samplesSkipped += 1
                    continue
                }
                // Samples already in the snapshot (or repeated) are older or equal: skipped.
                let appended = series.state.withLock { s -> Bool in
                    guard t > s.maxTime else { return false }
                    s.appendCommitted(t, Double(bitPattern: bits))
                    return true
                }
                if appended {
                    samplesRestored += 1
                    maxT = max(maxT, t)
                }
            }
            if maxT != .min { head.noteCommitted(maxTime: maxT) }
        case .seriesSnapshot:
            return false
        }
        return true
    }
}
