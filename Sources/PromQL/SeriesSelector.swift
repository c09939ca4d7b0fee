import TSDB

/// A series selector (`metric{label="value", other=~"re.*"}`): what `match[]` of `/federate`
/// and the series APIs take, parsed as Prometheus's `ParseMetricSelector` does.
public struct SeriesSelector: Sendable, CustomStringConvertible {
    public let matchers: [LabelMatcher]
    public let text: String

    /// A selector that cannot be used, with the 1-based column where it goes wrong.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public let column: Int
        public let message: String
        public var description: String { "1:\(column): parse error: \(message)" }
    }

    public var description: String { text }

    public init(parsing text: String) throws(ParseError) {
        self.text = text
        let bytes = Array(text.utf8)
        var i = 0
        var matchers: [LabelMatcher] = []
        func skipSpace() { while i < bytes.count, [0x20, 0x09, 0x0a, 0x0d].contains(bytes[i]) { i += 1 } }
        func fail(_ message: String) -> ParseError { ParseError(column: i + 1, message: message) }
        skipSpace()
        if i < bytes.count, Self.isNameStart(bytes[i], colon: true) {
            let start = i
            while i < bytes.count, Self.isNameChar(bytes[i], colon: true) { i += 1 }
            matchers.append(.equal("__name__", String(decoding: bytes[start..<i], as: UTF8.self)))
            skipSpace()
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: "{") {
            i += 1
            while true {
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of input inside braces") }
                if bytes[i] == UInt8(ascii: "}") {
                    i += 1
                    break
                }
                guard Self.isNameStart(bytes[i], colon: false) else { throw fail("unexpected character inside braces: '\(Character(Unicode.Scalar(bytes[i])))'") }
                let start = i
                while i < bytes.count, Self.isNameChar(bytes[i], colon: false) { i += 1 }
                let name = String(decoding: bytes[start..<i], as: UTF8.self)
                skipSpace()
                let kind: LabelMatcher.Kind
                if text.utf8.dropFirst(i).starts(with: "=~".utf8) { kind = .regexMatch; i += 2 }
                else if text.utf8.dropFirst(i).starts(with: "!~".utf8) { kind = .notRegexMatch; i += 2 }
                else if text.utf8.dropFirst(i).starts(with: "!=".utf8) { kind = .notEqual; i += 2 }
                else if i < bytes.count, bytes[i] == UInt8(ascii: "=") { kind = .equal; i += 1 }
                else { throw fail("unexpected character after label name \"\(name)\": expected one of =, !=, =~, !~") }
                skipSpace()
                guard i < bytes.count, [UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`")].contains(bytes[i]) else {
                    throw fail("unexpected character in label matcher: expected a string")
                }
                let value: String
                do {
                    (value, i) = try StringLiteral.read(bytes, at: i)
                } catch {
                    throw ParseError(column: error.offset + 1, message: error.message)
                }
                do {
                    matchers.append(try LabelMatcher(kind, name, value))
                } catch {
                    throw ParseError(column: start + 1, message: "\(error)")
                }
                skipSpace()
                if i < bytes.count, bytes[i] == UInt8(ascii: ",") {
                    i += 1
                    continue
                }
                skipSpace()
                guard i < bytes.count else { throw fail("unexpected end of input inside braces") }
                guard bytes[i] == UInt8(ascii: "}") else { throw fail("unexpected character inside braces: expected \",\" or \"}\"") }
            }
            skipSpace()
        }
        guard i == bytes.count else { throw fail("unexpected input after the selector") }
        guard !matchers.isEmpty else { throw ParseError(column: 1, message: "unexpected end of input: expected a series selector") }
        if matchers.allSatisfy({ $0.matches("") }) {
            throw ParseError(column: 1, message: "vector selector must contain at least one non-empty matcher")
        }
        self.matchers = matchers
    }

    static func isNameStart(_ b: UInt8, colon: Bool) -> Bool {
        (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b == 0x5f || (colon && b == 0x3a)
    }

    static func isNameChar(_ b: UInt8, colon: Bool) -> Bool {
        isNameStart(b, colon: colon) || (b >= 0x30 && b <= 0x39)
    }
}
