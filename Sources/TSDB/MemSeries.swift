import Synchronization

/// One series in memory: its labels, a ring of sealed XOR chunks and the open head chunk.
/// Its samples are guarded by its own lock, so appends to different series never contend.
public final class MemSeries: Sendable {
    public let ref: SeriesRef
    public let labels: Labels
    let state: Mutex<SeriesState>

    init(ref: SeriesRef, labels: Labels) {
        self.ref = ref
        self.labels = labels
        self.state = Mutex(SeriesState())
    }
}

struct SeriesState: Sendable {
    var sealed = ChunkRing()
    var head: XORChunkEncoder? = nil
    /// Last committed sample, for order and duplicate checks.
    var maxTime: Int64 = .min
    var lastValueBits: UInt64 = 0
    /// Last sample appended but not yet committed, by any appender.
    var pendingMaxTime: Int64 = .min
    var pendingValueBits: UInt64 = 0
    /// Set once retention has removed the series from the head; appenders must re-resolve it.
    var removed = false

    /// The latest timestamp appended or pending.
    var effectiveMaxTime: Int64 { max(maxTime, pendingMaxTime) }

    mutating func appendCommitted(_ t: Int64, _ v: Double) {
        if head == nil || head!.count >= XORChunkEncoder.targetSamples {
            if let h = head { sealed.append(h.chunk()) }
            head = XORChunkEncoder()
        }
        head!.append(t, v)
        maxTime = t
        lastValueBits = v.bitPattern
    }

    /// All chunks, sealed and head, oldest first.
    func allChunks() -> [Chunk] {
        var out = sealed.chunks
        if let head, head.count > 0 { out.append(head.chunk()) }
        return out
    }

    var minTime: Int64 {
        if let first = sealed.first { return first.minTime }
        if let head, head.count > 0 { return head.minTime }
        return .max
    }

    var byteCount: Int {
        var n = head?.byteCount ?? 0
        for i in 0..<sealed.count { n += sealed[i].bytes.count }
        return n
    }
}
