/// Why a snappy block cannot be decoded; offsets are into the compressed input.
public enum SnappyError: Error, Sendable, Equatable, CustomStringConvertible {
    case badLengthHeader
    case tooLarge(length: Int, limit: Int)
    case truncated(offset: Int)
    case badCopyOffset(offset: Int, distance: Int, written: Int)
    case overrun(offset: Int)
    case lengthMismatch(declared: Int, decoded: Int)

    public var description: String {
        switch self {
        case .badLengthHeader: "snappy: corrupt input: bad length header"
        case .tooLarge(let length, let limit): "snappy: decoded length \(length) exceeds the limit of \(limit) bytes"
        case .truncated(let offset): "snappy: corrupt input: truncated at byte \(offset)"
        case .badCopyOffset(let offset, let distance, let written):
            "snappy: corrupt input at byte \(offset): copy from \(distance) bytes back with only \(written) written"
        case .overrun(let offset): "snappy: corrupt input at byte \(offset): output longer than its declared length"
        case .lengthMismatch(let declared, let decoded): "snappy: corrupt input: declared \(declared) bytes, decoded \(decoded)"
        }
    }
}
