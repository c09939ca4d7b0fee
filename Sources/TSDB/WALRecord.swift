/// The records of the write-ahead log and snapshots. Every record is framed as
/// `[length u32 LE][crc32c u32 LE][type u8][payload]`, the length and checksum covering type
/// and payload, so a torn or corrupt tail is found by its checksum.
enum WALRecord {
    enum Kind: UInt8 {
        /// New series: count, then (ref, label count, (name, value)…).
        case series = 1
        /// Samples: count, base ref, base time, then (ref delta, time delta, value bits)…
        case samples = 2
        /// A whole series with its chunks (snapshots only).
        case seriesSnapshot = 3
    }

    static let headerSize = 9

    /// Appends a framed record whose payload `body` writes.
    static func frame(_ kind: Kind, into out: inout [UInt8], body: (inout [UInt8]) -> Void) {
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: 8))
        out.append(kind.rawValue)
        body(&out)
        let length = UInt32(out.count - start - 8)
        let crc = out.withUnsafeBytes { CRC32C.checksum(UnsafeRawBufferPointer(rebasing: $0[(start + 8)...])) }
        for k in 0..<4 {
            out[start + k] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(k)))
            out[start + 4 + k] = UInt8(truncatingIfNeeded: crc >> (8 * UInt32(k)))
        }
    }

    static func encodeSeries(_ series: [MemSeries], into out: inout [UInt8]) {
        guard !series.isEmpty else { return }
        frame(.series, into: &out) { out in
            appendUvarint(UInt64(series.count), to: &out)
            for s in series {
                appendUvarint(s.ref, to: &out)
                appendLabels(s.labels, to: &out)
            }
        }
    }

    static func appendLabels(_ labels: Labels, to out: inout [UInt8]) {
        appendUvarint(UInt64(labels.count), to: &out)
        for l in labels.pairs {
            out.appendString(l.name)
            out.appendString(l.value)
        }
    }

    static func encodeSamples(_ samples: [HeadAppender.PendingSample], into out: inout [UInt8]) {
        guard let first = samples.first else { return }
        frame(.samples, into: &out) { out in
            appendUvarint(UInt64(samples.count), to: &out)
            appendUvarint(first.series.ref, to: &out)
            appendVarint(first.t, to: &out)
            for s in samples {
                appendVarint(Int64(bitPattern: s.series.ref &- first.series.ref), to: &out)
                appendVarint(s.t &- first.t, to: &out)
                out.appendLittleEndian(s.v.bitPattern)
            }
        }
    }

    /// One framed record read from a buffer, or why the buffer ends in a broken one.
    enum Read {
        case record(Kind, UnsafeRawBufferPointer)
        case end
        case corrupt(offset: Int, reason: String)
    }

    static func read(_ buffer: UnsafeRawBufferPointer, at offset: inout Int) -> Read {
        guard offset < buffer.count else { return .end }
        guard offset + headerSize <= buffer.count else {
            return .corrupt(offset: offset, reason: "record header cut short (torn write)")
        }
        var length: UInt32 = 0
        var crc: UInt32 = 0
        for k in 0..<4 {
            length |= UInt32(buffer[offset + k]) << (8 * UInt32(k))
            crc |= UInt32(buffer[offset + 4 + k]) << (8 * UInt32(k))
        }
        let bodyStart = offset + 8
        guard length >= 1, Int(length) <= buffer.count - bodyStart else {
            return .corrupt(offset: offset, reason: "record of \(length) bytes runs past the end (torn write)")
        }
        let body = UnsafeRawBufferPointer(rebasing: buffer[bodyStart..<bodyStart + Int(length)])
        guard CRC32C.checksum(body) == crc else {
            return .corrupt(offset: offset, reason: "checksum mismatch")
        }
        guard let kind = Kind(rawValue: body[0]) else {
            return .corrupt(offset: offset, reason: "unknown record type \(body[0])")
        }
        offset = bodyStart + Int(length)
        return .record(kind, UnsafeRawBufferPointer(rebasing: body[1...]))
    }

    static func decodeLabels(_ r: inout ByteReader) -> Labels? {
        guard let n = r.uvarint(), n < 10_000 else { return nil }
        var pairs: [Label] = []
        pairs.reserveCapacity(Int(n))
        for _ in 0..<n {
            guard let name = r.string(), let value = r.string() else { return nil }
            pairs.append(Label(LabelInterner.shared.intern(name), LabelInterner.shared.intern(value)))
        }
        return Labels(trustedSortedPairs: pairs)
    }
}
