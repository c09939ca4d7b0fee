import Synchronization

/// A fully anchored regex matcher with Prometheus's fast paths: literal alternations are set
/// lookups; `.*`, `.+`, literal prefixes, suffixes and infixes are string checks; only the rest
/// runs a regex engine, compiled once per pattern and cached.
///
/// Semantics follow RE2 as Prometheus uses it (`^(?s:pattern)$`): `.` matches newlines and
/// matching is by Unicode scalar. Syntax RE2 lacks (backreferences, lookaround, atomic groups,
/// possessive quantifiers) is rejected, as Prometheus rejects it.
final class RegexMatcher: Sendable {
    enum Strategy: Sendable {
        case any
        case nonEmpty
        case literal(String)
        case set(Set<String>)
        case prefix(String, nonEmptyRest: Bool)
        case suffix(String)
        case contains(String)
        case engine(CompiledRegex)
    }

    let pattern: String
    let strategy: Strategy

    init(_ pattern: String) throws(MatcherError) {
        self.pattern = pattern
        if let fast = Self.fastPath(pattern) {
            strategy = fast
            return
        }
        try Self.rejectNonRE2(pattern)
        do {
            let regex = try Regex(pattern)
                .dotMatchesNewlines()
                .matchingSemantics(.unicodeScalar)
            strategy = .engine(CompiledRegex(regex))
        } catch {
            throw MatcherError(pattern: pattern, reason: "\(error)")
        }
    }

    func matches(_ s: String) -> Bool {
        switch strategy {
        case .any: return true
        case .nonEmpty: return !s.isEmpty
        case .literal(let l): return s == l
        case .set(let set): return set.contains(s)
        case .prefix(let p, let nonEmptyRest): return s.hasPrefix(p) && (!nonEmptyRest || s.utf8.count > p.utf8.count)
        case .suffix(let x): return s.hasSuffix(x)
        case .contains(let x): return s.contains(x)
        case .engine(let compiled): return compiled.wholeMatches(s)
        }
    }

    /// The literal values this regex can match, when it is a plain alternation (`a|b|c`).
    var literalSet: Set<String>? {
        switch strategy {
        case .literal(let l): return [l]
        case .set(let s): return s
        default: return nil
        }
    }

    private static let metacharacters = Set("\\.+*?()|[]{}^$".utf8)

    private static func isLiteral<S: StringProtocol>(_ s: S) -> Bool {
        !s.utf8.contains { metacharacters.contains($0) }
    }

    static func fastPath(_ p: String) -> Strategy? {
        if p == ".*" { return .any }
        if p == ".+" { return .nonEmpty }
        if isLiteral(p) { return .literal(p) }
        if p.contains("|"), !p.contains("("), !p.contains("\\"), !p.contains("[") {
            let parts = p.split(separator: "|", omittingEmptySubsequences: false)
            if parts.allSatisfy({ isLiteral($0) }) { return .set(Set(parts.map(String.init))) }
        }
        if p.hasPrefix(".*"), p.hasSuffix(".*"), p.count > 4 {
            let mid = p.dropFirst(2).dropLast(2)
            if isLiteral(mid) { return .contains(String(mid)) }
        }
        if p.hasSuffix(".*"), isLiteral(p.dropLast(2)) { return .prefix(String(p.dropLast(2)), nonEmptyRest: false) }
        if p.hasSuffix(".+"), isLiteral(p.dropLast(2)) { return .prefix(String(p.dropLast(2)), nonEmptyRest: true) }
        if p.hasPrefix(".*"), isLiteral(p.dropFirst(2)) { return .suffix(String(p.dropFirst(2))) }
        return nil
    }

    private static func rejectNonRE2(_ p: String) throws(MatcherError) {
        for construct in ["(?=", "(?!", "(?<=", "(?<!", "(?>", "*+", "++", "?+", "}+"] where p.contains(construct) {
            throw MatcherError(pattern: p, reason: "invalid or unsupported Perl syntax: `\(construct)`")
        }
        var previousBackslash = false
        for b in p.utf8 {
            if previousBackslash, b >= UInt8(ascii: "1"), b <= UInt8(ascii: "9") {
                throw MatcherError(pattern: p, reason: "invalid escape sequence: backreferences are not supported")
            }
            previousBackslash = !previousBackslash && b == UInt8(ascii: "\\")
        }
    }

    private static let cache = Mutex<[String: RegexMatcher]>([:])

    static func cached(_ pattern: String) throws(MatcherError) -> RegexMatcher {
        if let hit = cache.withLock({ $0[pattern] }) { return hit }
        let compiled = try RegexMatcher(pattern)
        cache.withLock { c in
            if c.count >= 4096 { c.removeAll(keepingCapacity: true) }
            c[pattern] = compiled
        }
        return compiled
    }
}

/// An immutable compiled regex shared across threads. `Regex` is a value whose lazily built program
/// is published atomically by the standard library; it is not marked `Sendable` only because its
/// output type could hold non-sendable captures, which `AnyRegexOutput` of a string match does not.
final class CompiledRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    init(_ regex: Regex<AnyRegexOutput>) { self.regex = regex }

    func wholeMatches(_ s: String) -> Bool {
        // A match over a String cannot throw: only custom components can, and none are used.
        (try? regex.wholeMatch(in: s)) != nil
    }
}
