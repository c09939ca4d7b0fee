/// Small JSON writers for answers whose key order must be Go's (sorted map keys).
enum JSONText {
    static func string(_ s: String) -> String { QueryAPI.jsonString(s) }

    /// An object of already-encoded values, keys sorted as Go's encoder sorts map keys.
    static func object(_ fields: [String: String]) -> String {
        "{" + fields.keys.sorted().map { "\(string($0)):\(fields[$0]!)" }.joined(separator: ",") + "}"
    }

    static func list(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ",") + "]" }
}
