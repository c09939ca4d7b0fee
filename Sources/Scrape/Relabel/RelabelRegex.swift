import TSDB

/// A relabel `regex`: fully anchored, RE2 syntax as Prometheus accepts it. Matching takes the
/// store's fast paths; capture groups (for `replace` and `labelmap`) use a compiled regex.
public struct RelabelRegex: Sendable, Equatable {
    public let pattern: String
    private let matcher: LabelMatcher
    private let captures: AnchoredRegex

    public static let `default` = try! RelabelRegex("(.*)")

    public init(_ pattern: String) throws(MatcherError) {
        self.pattern = pattern
        matcher = try LabelMatcher(.regexMatch, "", pattern)
        captures = try AnchoredRegex(pattern)
    }

    public static func == (a: RelabelRegex, b: RelabelRegex) -> Bool { a.pattern == b.pattern }

    public func matches(_ s: String) -> Bool { matcher.matches(s) }

    /// Go's `Regexp.ExpandString` of `template` for a whole match of `s`; nil when `s` does not match.
    public func expand(_ template: String, matching s: String) -> String? {
        captures.expand(template, matching: s)
    }
}
