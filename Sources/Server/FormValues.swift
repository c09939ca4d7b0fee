/// `application/x-www-form-urlencoded` pairs, decoded as Go's `url.ParseQuery` does
/// (`+` is a space, `%XX` a byte), from a query string or a form body.
public struct FormValues: Sendable {
    public private(set) var pairs: [(name: String, value: String)] = []

    public init(_ raw: String?) {
        guard let raw, !raw.isEmpty else { return }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            pairs.append((Self.decode(kv[0]), kv.count > 1 ? Self.decode(kv[1]) : ""))
        }
    }

    public mutating func merge(_ other: FormValues) { pairs += other.pairs }

    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }

    public func first(_ name: String) -> String? { pairs.first { $0.name == name }?.value }

    static func decode(_ s: Substring) -> String {
        var out: [UInt8] = []
        let bytes = Array(s.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%"), i + 2 < bytes.count, let v = UInt8(String(decoding: bytes[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                out.append(v)
                i += 2
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }
}
