/// Reads the inside of one action into a pipeline.
enum TemplateLexer {
    enum Token: Equatable {
        case string(String), number(Double), variable(String, [String]), dot([String]), word(String)
        case open, close, pipe, declare, comma
    }

    static func pipeline(_ text: String, name: String) throws(TemplateError) -> Pipeline {
        var tokens = try tokenize(text, name: name)
        var p = Pipeline()
        // `$x :=` or `$i, $e :=` declares variables.
        if let declare = tokens.firstIndex(of: .declare), tokens[..<declare].allSatisfy({ if case .variable(_, []) = $0 { return true }; return $0 == .comma }) {
            p.declarations = tokens[..<declare].compactMap { if case .variable(let v, _) = $0 { return v }; return nil }
            tokens.removeSubrange(...declare)
        }
        var i = 0
        p.commands = try commands(tokens, &i, name: name)
        if i < tokens.count { throw TemplateError("template: \(name):1: unexpected \")\" in command") }
        return p
    }

    private static func commands(_ tokens: [Token], _ i: inout Int, name: String) throws(TemplateError) -> [[Operand]] {
        var out: [[Operand]] = [[]]
        while i < tokens.count {
            let t = tokens[i]
            i += 1
            switch t {
            case .pipe: out.append([])
            case .close:
                i -= 1
                return try check(out, name)
            case .open:
                let nested = try commands(tokens, &i, name: name)
                guard i < tokens.count, tokens[i] == .close else { throw TemplateError("template: \(name):1: unclosed left paren") }
                i += 1
                out[out.count - 1].append(.nested(Pipeline(declarations: [], commands: nested), []))
            case .string(let s): out[out.count - 1].append(.string(s))
            case .number(let v): out[out.count - 1].append(.number(v))
            case .variable(let v, let fields): out[out.count - 1].append(.variable(v, fields))
            case .dot(let fields): out[out.count - 1].append(.dot(fields))
            case .word(let w):
                switch w {
                case "true": out[out.count - 1].append(.bool(true))
                case "false": out[out.count - 1].append(.bool(false))
                default:
                    guard TemplateFunctions.names.contains(w) else { throw TemplateError("template: \(name):1: function \"\(w)\" not defined") }
                    out[out.count - 1].append(.function(w))
                }
            case .declare, .comma: throw TemplateError("template: \(name):1: unexpected declaration")
            }
        }
        return try check(out, name)
    }

    private static func check(_ commands: [[Operand]], _ name: String) throws(TemplateError) -> [[Operand]] {
        if commands.contains(where: \.isEmpty) { throw TemplateError("template: \(name):1: missing value for command") }
        return commands
    }

    static func tokenize(_ text: String, name: String) throws(TemplateError) -> [Token] {
        var out: [Token] = []
        let chars = Array(text)
        var i = 0
        func fields(_ s: String) -> [String] { s.split(separator: ".", omittingEmptySubsequences: true).map(String.init) }
        while i < chars.count {
            let c = chars[i]
            if c.isWhitespace { i += 1; continue }
            switch c {
            case "(": out.append(.open); i += 1
            case ")": out.append(.close); i += 1
            case "|": out.append(.pipe); i += 1
            case ",": out.append(.comma); i += 1
            case ":" where i + 1 < chars.count && chars[i + 1] == "=": out.append(.declare); i += 2
            case "=": out.append(.declare); i += 1
            case "\"", "`":
                var j = i + 1, value = ""
                while j < chars.count, chars[j] != c {
                    if c == "\"" && chars[j] == "\\" && j + 1 < chars.count {
                        j += 1
                        switch chars[j] {
                        case "n": value.append("\n")
                        case "t": value.append("\t")
                        case "r": value.append("\r")
                        default: value.append(chars[j])
                        }
                    } else {
                        value.append(chars[j])
                    }
                    j += 1
                }
                guard j < chars.count else { throw TemplateError("template: \(name):1: unterminated quoted string") }
                out.append(.string(value))
                i = j + 1
            default:
                var j = i
                while j < chars.count, !chars[j].isWhitespace, !"()|,".contains(chars[j]) { j += 1 }
                let word = String(chars[i..<j])
                i = j
                if word.hasPrefix("$") {
                    let parts = word.split(separator: ".", maxSplits: 1)
                    out.append(.variable(String(parts[0]), parts.count > 1 ? fields(String(parts[1])) : []))
                } else if word.hasPrefix(".") {
                    out.append(.dot(fields(word)))
                } else if let v = Double(word) {
                    out.append(.number(v))
                } else {
                    out.append(.word(word))
                }
            }
        }
        return out
    }
}
