import Logging

/// A snapshot of the whole head: every series with its sealed chunks (bytes as stored) and the
/// state of its open chunk. `snapshot-N` covers every WAL segment before N; restoring it and
/// replaying segments N… rebuilds the head without re-encoding a sample.
enum Snapshot {
    static let magic = Array("SWSNAP1\n".utf8)

    static func fileName(_ firstUncoveredSegment: Int) -> String {
        let digits = String(firstUncoveredSegment)
        return "snapshot-" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    static func segment(ofFileName name: String) -> Int? {
        guard name.hasPrefix("snapshot-"), !name.hasSuffix(".tmp") else { return nil }
        return Int(name.dropFirst("snapshot-".count))
    }

    static func encode(_ head: Head) -> [UInt8] {
        var out = magic
        // Ref order, so replay recreates series (and their postings) in the order they were made.
        for series in head.allSeries().sorted(by: { $0.ref < $1.ref }) {
            let state = series.state.withLock { $0 }
            guard !state.removed else { continue }
            WALRecord.frame(.seriesSnapshot, into: &out) { out in
                appendUvarint(series.ref, to: &out)
                WALRecord.appendLabels(series.labels, to: &out)
                appendVarint(state.maxTime, to: &out)
                out.appendLittleEndian(state.lastValueBits)
                appendUvarint(UInt64(state.sealed.count), to: &out)
                for i in 0..<state.sealed.count {
                    let c = state.sealed[i]
                    appendVarint(c.minTime, to: &out)
                    appendVarint(c.maxTime, to: &out)
                    appendUvarint(UInt64(c.bytes.count), to: &out)
                    out.append(contentsOf: c.bytes)
                }
                if let h = state.head {
                    out.append(1)
                    h.encodeState(into: &out)
                } else {
                    out.append(0)
                }
            }
        }
        return out
    }

    /// Loads a snapshot into `head`; a corrupt record stops the load with a warning naming the
    /// file and offset, keeping every series read before it. Returns the series restored.
    static func restore(_ bytes: [UInt8], path: String, into head: Head, logger: Logger) -> Int {
        guard bytes.count >= magic.count, Array(bytes[0..<magic.count]) == magic else {
            logger.warning("snapshot \(path): not a Scalewatch snapshot (bad header at offset 0); ignoring it")
            return 0
        }
        var restored = 0
        bytes.withUnsafeBytes { raw in
            var offset = magic.count
            while true {
                switch WALRecord.read(raw, at: &offset) {
                case .end:
                    return
                case .corrupt(let at, let reason):
                    logger.warning("snapshot \(path): \(reason) at offset \(at); dropping the rest of the snapshot (\(raw.count - at) bytes)")
                    return
                case .record(let kind, let body):
                    var r = ByteReader(body)
                    guard kind == .seriesSnapshot, decodeSeries(&r, into: head) else {
                        logger.warning("snapshot \(path): malformed series record at offset \(offset); dropping the rest of the snapshot")
                        return
                    }
                    restored += 1
                }
            }
        }
        return restored
    }

    private static func decodeSeries(_ r: inout ByteReader, into head: Head) -> Bool {
        guard let ref = r.uvarint(), let labels = WALRecord.decodeLabels(&r),
              let maxTime = r.varint(), let lastBits = r.uint64(), let chunkCount = r.uvarint(), chunkCount < 1 << 24
        else { return false }
        var state = SeriesState()
        for _ in 0..<chunkCount {
            guard let minT = r.varint(), let maxT = r.varint(), let n = r.uvarint(), n >= 2, let raw = r.bytes(Int(n)) else { return false }
            state.sealed.append(Chunk(bytes: Array(raw), minTime: minT, maxTime: maxT))
        }
        guard let hasHead = r.byte() else { return false }
        if hasHead == 1 {
            guard let encoder = XORChunkEncoder(decoding: &r) else { return false }
            state.head = encoder
        }
        state.maxTime = maxTime
        state.lastValueBits = lastBits
        let series = head.restore(labels, ref: ref)
        series.state.withLock { $0 = state }
        head.noteCommitted(maxTime: maxTime)
        return true
    }
}
