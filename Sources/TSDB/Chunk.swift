/// A sealed chunk as stored: Prometheus's XOR encoding, bytes exactly as Prometheus writes them
/// (2-byte big-endian sample count, then the bit stream), so remote read can stream it unchanged.
public struct Chunk: Sendable, Hashable {
    /// The chunk's bytes in Prometheus's `XOR` encoding.
    public let bytes: [UInt8]
    public let minTime: Int64
    public let maxTime: Int64

    public init(bytes: [UInt8], minTime: Int64, maxTime: Int64) {
        self.bytes = bytes
        self.minTime = minTime
        self.maxTime = maxTime
    }

    /// Number of samples, from the chunk header.
    public var sampleCount: Int {
        bytes.count >= 2 ? Int(bytes[0]) << 8 | Int(bytes[1]) : 0
    }

    public func makeIterator() -> XORChunkIterator { XORChunkIterator(bytes) }
}
