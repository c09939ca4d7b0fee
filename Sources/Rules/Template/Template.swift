import Synchronization

/// What a template may reach beyond its data: `query` (the engine, in-process) and the
/// external URL.
public struct TemplateEnvironment: Sendable {
    public var query: (@Sendable (String) throws(TemplateError) -> [(labels: [String: String], value: Double)])?
    public var externalURL: String

    public init(externalURL: String = "", query: (@Sendable (String) throws(TemplateError) -> [(labels: [String: String], value: Double)])? = nil) {
        self.externalURL = externalURL
        self.query = query
    }
}

/// A parsed Go-style template (Prometheus's alert label and annotation templates).
public struct Template: Sendable {
    let nodes: [TemplateNode]
    public let name: String

    /// Parses `text`; a syntax error or an unknown function is found here, at load time.
    public init(_ text: String, name: String) throws(TemplateError) {
        self.name = name
        var parser = try TemplateParser(text, name: name)
        nodes = try parser.parse()
    }

    /// Runs the template with `.` = `data` and the given variables.
    public func expand(data: TemplateValue, variables: [String: TemplateValue], environment: TemplateEnvironment) throws(TemplateError) -> String {
        var run = TemplateRun(environment: environment, scopes: [variables.merging(["$": data]) { a, _ in a }])
        var out = ""
        try run.execute(nodes, dot: data, into: &out)
        return out
    }

    /// Prometheus's expansion of an alert's label or annotation: `$labels`, `$value`,
    /// `$externalLabels`, `$externalURL` (and `.Labels`, `.Value`, …); an error becomes the
    /// text `<error expanding template: …>` rather than stopping evaluation.
    public static func expandAlert(_ text: String, name: String, labels: [String: String], value: Double,
                                   externalLabels: [String: String], environment: TemplateEnvironment) -> String {
        let labelMap = TemplateValue.map(labels.mapValues { .string($0) })
        let external = TemplateValue.map(externalLabels.mapValues { .string($0) })
        let data = TemplateValue.map(["Labels": labelMap, "ExternalLabels": external, "ExternalURL": .string(environment.externalURL), "Value": .number(value)])
        do {
            let template = try parsed(text, name: name)
            return try template.expand(data: data, variables: [
                "$labels": labelMap, "$externalLabels": external, "$externalURL": .string(environment.externalURL), "$value": .number(value),
            ], environment: environment)
        } catch {
            return "<error expanding template: \(error)>"
        }
    }
}

extension Template {
    /// Parsed templates by text: rules expand the same few texts every evaluation.
    private static let cache = Mutex<[String: Template]>([:])

    static func parsed(_ text: String, name: String) throws(TemplateError) -> Template {
        let key = name + "\u{1}" + text
        if let t = cache.withLock({ $0[key] }) { return t }
        let t = try Template(text, name: name)
        cache.withLock { c in
            if c.count > 10_000 { c.removeAll() }
            c[key] = t
        }
        return t
    }
}

/// One execution: variable scopes and the environment.
struct TemplateRun {
    let environment: TemplateEnvironment
    var scopes: [[String: TemplateValue]]

    mutating func execute(_ nodes: [TemplateNode], dot: TemplateValue, into out: inout String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let s): out += s
            case .action(let p):
                let v = try evaluate(p, dot: dot)
                if p.declarations.isEmpty { out += v.printed }
            case .if(let p, let body, let otherwise):
                scopes.append([:])
                try execute(try evaluate(p, dot: dot).truthy ? body : otherwise, dot: dot, into: &out)
                scopes.removeLast()
            case .with(let p, let body, let otherwise):
                let v = try evaluate(p, dot: dot)
                scopes.append([:])
                if v.truthy { try execute(body, dot: v, into: &out) } else { try execute(otherwise, dot: dot, into: &out) }
                scopes.removeLast()
            case .range(let p, let body, let otherwise):
                var bare = p
                bare.declarations = []
                let v = try evaluate(bare, dot: dot)
                let items: [(TemplateValue, TemplateValue)]
                switch v {
                case .list(let l): items = l.enumerated().map { (.int($0.offset), $0.element) }
                case .map(let m): items = m.keys.sorted().map { (.string($0), m[$0]!) }
                default: items = []
                }
                if items.isEmpty { try execute(otherwise, dot: dot, into: &out) }
                for (key, element) in items {
                    var scope: [String: TemplateValue] = [:]
                    if p.declarations.count == 1 { scope[p.declarations[0]] = element }
                    if p.declarations.count == 2 { (scope[p.declarations[0]], scope[p.declarations[1]]) = (key, element) }
                    scopes.append(scope)
                    try execute(body, dot: element, into: &out)
                    scopes.removeLast()
                }
            }
        }
    }

    func variable(_ name: String) throws(TemplateError) -> TemplateValue {
        for scope in scopes.reversed() { if let v = scope[name] { return v } }
        throw TemplateError("undefined variable \"\(name)\"")
    }

    mutating func evaluate(_ p: Pipeline, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        var value: TemplateValue? = nil
        for command in p.commands {
            value = try run(command, dot: dot, piped: value)
        }
        let result = value ?? .null
        if p.declarations.count == 1 { scopes[scopes.count - 1][p.declarations[0]] = result }
        return result
    }

    mutating func run(_ command: [Operand], dot: TemplateValue, piped: TemplateValue?) throws(TemplateError) -> TemplateValue {
        guard let head = command.first else { return .null }
        if case .function(let name) = head {
            var args: [TemplateValue] = []
            for operand in command.dropFirst() { args.append(try operandValue(operand, dot: dot)) }
            if let piped { args.append(piped) }
            return try TemplateFunctions.call(name, args, environment)
        }
        if command.count > 1 || piped != nil { throw TemplateError("can't give argument to non-function \(command)") }
        return try operandValue(head, dot: dot)
    }

    mutating func operandValue(_ operand: Operand, dot: TemplateValue) throws(TemplateError) -> TemplateValue {
        switch operand {
        case .dot(let fields): return fields.reduce(dot) { $0.field($1) }
        case .variable(let name, let fields): return try variable(name).fieldChain(fields)
        case .string(let s): return .string(s)
        case .number(let v): return v == v.rounded() && abs(v) < 1e15 ? .int(Int(v)) : .number(v)
        case .bool(let b): return .bool(b)
        case .function(let name): return try TemplateFunctions.call(name, [], environment)
        case .nested(let p, let fields): return try evaluate(p, dot: dot).fieldChain(fields)
        }
    }
}

extension TemplateValue {
    func fieldChain(_ fields: [String]) -> TemplateValue { fields.reduce(self) { $0.field($1) } }
}
