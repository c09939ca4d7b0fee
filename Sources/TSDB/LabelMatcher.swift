/// A label matcher of a selector: `name="v"`, `name!="v"`, `name=~"re"`, `name!~"re"`.
/// Regexes are fully anchored, as in Prometheus.
public struct LabelMatcher: Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable, Hashable {
        case equal = "="
        case notEqual = "!="
        case regexMatch = "=~"
        case notRegexMatch = "!~"
    }

    public let name: String
    public let kind: Kind
    public let value: String
    let regex: RegexMatcher?

    public init(_ kind: Kind, _ name: String, _ value: String) throws(MatcherError) {
        self.name = name
        self.kind = kind
        self.value = value
        switch kind {
        case .regexMatch, .notRegexMatch: regex = try RegexMatcher.cached(value)
        case .equal, .notEqual: regex = nil
        }
    }

    public static func equal(_ name: String, _ value: String) -> LabelMatcher {
        // Equality matchers compile nothing, so they cannot fail.
        LabelMatcher(name: name, kind: .equal, value: value, regex: nil)
    }

    public static func notEqual(_ name: String, _ value: String) -> LabelMatcher {
        LabelMatcher(name: name, kind: .notEqual, value: value, regex: nil)
    }

    /// `l=~".*"`: true for every value, including an absent label.
    var matchesEverything: Bool {
        guard kind == .regexMatch, case .any = regex?.strategy else { return false }
        return true
    }

    /// Whether the label value `v` matches; an absent label is matched as the empty string.
    public func matches(_ v: String) -> Bool {
        switch kind {
        case .equal: return v == value
        case .notEqual: return v != value
        case .regexMatch: return regex!.matches(v)
        case .notRegexMatch: return !regex!.matches(v)
        }
    }

    /// The matcher that selects exactly what this one rejects.
    public var inverse: LabelMatcher {
        let inverted: Kind = switch kind {
        case .equal: .notEqual
        case .notEqual: .equal
        case .regexMatch: .notRegexMatch
        case .notRegexMatch: .regexMatch
        }
        return LabelMatcher(name: name, kind: inverted, value: value, regex: regex)
    }

    private init(name: String, kind: Kind, value: String, regex: RegexMatcher?) {
        self.name = name
        self.kind = kind
        self.value = value
        self.regex = regex
    }

    public var description: String {
        let escaped = value.replacingOccurrences("\\", "\\\\").replacingOccurrences("\"", "\\\"")
        return "\(name)\(kind.rawValue)\"\(escaped)\""
    }
}

/// A matcher that cannot be built: its regex does not compile or uses syntax RE2 rejects.
public struct MatcherError: Error, Sendable, Hashable, CustomStringConvertible {
    public var pattern: String
    public var reason: String

    public init(pattern: String, reason: String) {
        self.pattern = pattern
        self.reason = reason
    }

    public var description: String { "invalid regular expression \"\(pattern)\": \(reason)" }
}
