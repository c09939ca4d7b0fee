/// A fully anchored regex with capture groups and Go's `Regexp.Expand` templates, for relabeling
/// and `label_replace`. Shared across threads: a string-matching `Regex` is safe to share (see
/// `CompiledRegex`).
public final class AnchoredRegex: @unchecked Sendable {
    private let regex: Regex<AnyRegexOutput>

    public init(_ pattern: String) throws(MatcherError) {
        _ = try LabelMatcher(.regexMatch, "", pattern)
        do {
            regex = try Regex(pattern).dotMatchesNewlines().matchingSemantics(.unicodeScalar)
        } catch {
            throw MatcherError(pattern: pattern, reason: "\(error)")
        }
    }

    struct Groups {
        let output: AnyRegexOutput

        func numbered(_ n: Int) -> String? {
            guard n < output.count, let sub = output[n].substring else { return nil }
            return String(sub)
        }

        func named(_ name: String) -> String? {
            guard let sub = output[name]?.substring else { return nil }
            return String(sub)
        }
    }

    func groups(_ s: String) -> Groups? {
        // Matching a String with no custom components cannot throw.
        guard let match = try? regex.wholeMatch(in: s) else { return nil }
        return Groups(output: match.output)
    }

    /// `template` expanded for a whole match of `s`; nil when `s` does not match.
    public func expand(_ template: String, matching s: String) -> String? {
        guard let groups = groups(s) else { return nil }
        return Self.expand(template, groups: groups)
    }

    /// Expands `$1`, `${1}`, `$name`, `${name}` and `$$` as Go's `regexp` does: a name is as long
    /// as possible (`$1x` is `${1x}`), an unknown or unmatched group is empty, a malformed `$` is literal.
    static func expand(_ template: String, groups: Groups) -> String {
        var out = ""
        var rest = Substring(template)
        while let dollar = rest.firstIndex(of: "$") {
            out += rest[..<dollar]
            rest = rest[rest.index(after: dollar)...]
            if rest.first == "$" {
                out += "$"
                rest = rest.dropFirst()
                continue
            }
            var name: Substring
            if rest.first == "{" {
                let inner = rest.dropFirst()
                let end = inner.firstIndex(where: { !isNameCharacter($0) }) ?? inner.endIndex
                guard end != inner.startIndex, end < inner.endIndex, inner[end] == "}" else {
                    out += "$"
                    continue
                }
                name = inner[..<end]
                rest = inner[inner.index(after: end)...]
            } else {
                let end = rest.firstIndex(where: { !isNameCharacter($0) }) ?? rest.endIndex
                guard end != rest.startIndex else {
                    out += "$"
                    continue
                }
                name = rest[..<end]
                rest = rest[end...]
            }
            if name.allSatisfy({ $0.isASCII && $0.isNumber }) {
                if let n = Int(name) { out += groups.numbered(n) ?? "" }
            } else {
                out += groups.named(String(name)) ?? ""
            }
        }
        return out + rest
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c == "_" || (c.isASCII && (c.isLetter || c.isNumber))
    }
}

extension AnchoredRegex {
    /// Go's `Regexp.ReplaceAllString`: every leftmost non-overlapping match of `pattern` (not
    /// anchored) in `text` replaced by `template` with `$1` / `${name}` expanded.
    public static func replacingAll(_ pattern: String, with template: String, in text: String) throws(MatcherError) -> String {
        let regex: Regex<AnyRegexOutput>
        do { regex = try Regex(pattern).dotMatchesNewlines().matchingSemantics(.unicodeScalar) } catch {
            throw MatcherError(pattern: pattern, reason: "\(error)")
        }
        var out = ""
        var rest = text[...]
        for match in text.matches(of: regex) {
            out += text[rest.startIndex..<match.range.lowerBound]
            out += expand(template, groups: Groups(output: match.output))
            rest = text[match.range.upperBound...]
        }
        return out + rest
    }

    /// Go's `Regexp.MatchString`: whether `pattern` matches anywhere in `text`.
    public static func matchesAnywhere(_ pattern: String, _ text: String) throws(MatcherError) -> Bool {
        do { return try Regex(pattern).dotMatchesNewlines().matchingSemantics(.unicodeScalar).firstMatch(in: text) != nil } catch {
            throw MatcherError(pattern: pattern, reason: "\(error)")
        }
    }
}
