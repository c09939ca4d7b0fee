/// The sealed chunks of one series, oldest first, in a ring: appending at the head and dropping
/// from the tail are both O(1), so retention never shifts a series' chunks.
struct ChunkRing: Sendable {
    private var storage: [Chunk?] = []
    private var start = 0
    private(set) var count = 0

    var isEmpty: Bool { count == 0 }

    mutating func append(_ chunk: Chunk) {
        if count == storage.count { grow() }
        storage[(start + count) % storage.count] = chunk
        count += 1
    }

    var first: Chunk? { count == 0 ? nil : storage[start] }

    @discardableResult mutating func removeFirst() -> Chunk? {
        guard count > 0 else { return nil }
        let chunk = storage[start]
        storage[start] = nil
        start = (start + 1) % storage.count
        count -= 1
        return chunk
    }

    subscript(i: Int) -> Chunk { storage[(start + i) % storage.count]! }

    var chunks: [Chunk] { (0..<count).map { self[$0] } }

    private mutating func grow() {
        let ordered = chunks
        storage = Array(repeating: nil, count: max(4, storage.count * 2))
        for (i, c) in ordered.enumerated() { storage[i] = c }
        start = 0
    }
}
