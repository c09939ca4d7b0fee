/// Reads a template's text into nodes: `{{` and `}}` delimit actions, `{{-` / `-}}` trim the
/// spaces next to them, `{{/* … */}}` is a comment.
struct TemplateParser {
    private var actions: [(text: String, action: String?)] = []
    private var position = 0
    let name: String

    init(_ source: String, name: String) throws(TemplateError) {
        self.name = name
        var rest = Substring(source)
        var pendingText = ""
        while let open = rest.range(of: "{{") {
            var before = String(rest[..<open.lowerBound])
            var inside = rest[open.upperBound...]
            if inside.hasPrefix("-") && inside.dropFirst().first?.isWhitespace == true {
                before = String(before.reversed().drop(while: \.isWhitespace).reversed())
                inside = inside.dropFirst()
            }
            guard let close = Self.closing(inside) else { throw TemplateError("template: \(name):1: unclosed action") }
            var body = inside[..<close.lowerBound]
            rest = inside[close.upperBound...]
            if body.hasSuffix("-"), body.dropLast().last?.isWhitespace == true {
                body = body.dropLast()
                rest = rest.drop(while: \.isWhitespace)
            }
            pendingText += before
            let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.hasPrefix("/*") { continue }
            actions.append((pendingText, trimmed))
            pendingText = ""
        }
        actions.append((pendingText + rest, nil))
    }

    /// The `}}` that ends an action, skipping any inside quoted strings.
    private static func closing(_ s: Substring) -> Range<Substring.Index>? {
        var i = s.startIndex
        var quote: Character? = nil
        while i < s.endIndex {
            let c = s[i]
            if let q = quote {
                if c == "\\" && q == "\"" { i = s.index(after: i) } else if c == q { quote = nil }
            } else if c == "\"" || c == "`" {
                quote = c
            } else if c == "}", s[s.index(after: i)...].hasPrefix("}") {
                return i..<s.index(i, offsetBy: 2)
            }
            if i < s.endIndex { i = s.index(after: i) }
        }
        return nil
    }

    /// The whole template.
    mutating func parse() throws(TemplateError) -> [TemplateNode] {
        let (nodes, end) = try list()
        if let end { throw TemplateError("template: \(name):1: unexpected {{\(end)}}") }
        return nodes
    }

    /// The body of an `if` / `range` / `with` and its `else`; `else if` chains share one `end`.
    private mutating func block(_ word: String, _ pipeline: Pipeline) throws(TemplateError) -> TemplateNode {
        let (body, terminator) = try list()
        var otherwise: [TemplateNode] = []
        guard let terminator else { throw TemplateError("template: \(name):1: unexpected EOF") }
        if terminator != "end" {
            let rest = terminator.dropFirst(4).trimmingCharacters(in: .whitespaces)
            if word == "if" && rest.hasPrefix("if ") {
                otherwise = [try block("if", try TemplateLexer.pipeline(String(rest.dropFirst(3)), name: name))]
            } else {
                let (elseBody, end) = try list()
                guard end == "end" else { throw TemplateError("template: \(name):1: expected end; found \(end ?? "EOF")") }
                otherwise = elseBody
            }
        }
        switch word {
        case "if": return .if(pipeline, body, otherwise)
        case "range": return .range(pipeline, body, otherwise)
        default: return .with(pipeline, body, otherwise)
        }
    }

    /// Nodes up to an `end` / `else` (returned) or the end of the template (nil).
    private mutating func list() throws(TemplateError) -> ([TemplateNode], String?) {
        var out: [TemplateNode] = []
        while position < actions.count {
            let (text, action) = actions[position]
            position += 1
            if !text.isEmpty { out.append(.text(text)) }
            guard let action else { break }
            let word = action.prefix { !$0.isWhitespace }
            switch word {
            case "end": return (out, "end")
            case "else": return (out, action)
            case "if", "range", "with":
                let pipeline = try TemplateLexer.pipeline(String(action.dropFirst(word.count)), name: name)
                out.append(try block(String(word), pipeline))
            default:
                out.append(.action(try TemplateLexer.pipeline(action, name: name)))
            }
        }
        return (out, nil)
    }
}
