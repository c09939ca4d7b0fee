/// A query that cannot be parsed: where (byte offset; `line:column` in the description) and what.
public struct PromQLError: Error, Sendable, Equatable {
    public let offset: Int
    public let message: String

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }

    /// `1:12: parse error: …`, with line and column counted in the query.
    public func describe(in query: String) -> String {
        var line = 1, column = 1
        for (k, b) in query.utf8.enumerated() {
            if k >= offset { break }
            if b == 0x0a {
                line += 1
                column = 1
            } else {
                column += 1
            }
        }
        return "\(line):\(column): parse error: \(message)"
    }
}
