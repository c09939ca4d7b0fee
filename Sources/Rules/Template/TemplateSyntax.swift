/// The parsed form of a Go `text/template`, the subset alert templates use: text, `{{ pipeline }}`,
/// `if` / `else if` / `else`, `range`, `with`, variables, fields, literals, function calls and `|`.
indirect enum TemplateNode: Sendable {
    case text(String)
    case action(Pipeline)
    case `if`(Pipeline, [TemplateNode], [TemplateNode])
    case range(Pipeline, [TemplateNode], [TemplateNode])
    case with(Pipeline, [TemplateNode], [TemplateNode])
}

/// `$x := cmd | cmd …` (declaration optional); `range $i, $e := …` declares two.
struct Pipeline: Sendable {
    var declarations: [String] = []
    var commands: [[Operand]] = []
}

/// One argument or function of a command.
indirect enum Operand: Sendable {
    case dot([String])
    case variable(String, [String])
    case function(String)
    case string(String)
    case number(Double)
    case bool(Bool)
    case nested(Pipeline, [String])
}

/// Why a template cannot be parsed or run, in Go's words where they matter.
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
