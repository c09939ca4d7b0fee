import Foundation
import PromQL
import TSDB

/// The functions alert templates call: Prometheus's (humanize…, query, first, value, label, …)
/// and Go's built-ins (eq, and, printf, len, index, …), with Prometheus's exact formatting.
enum TemplateFunctions {
    static let names: Set<String> = [
        "humanize", "humanize1024", "humanizeDuration", "humanizePercentage", "humanizeTimestamp", "printf", "query",
        "first", "value", "label", "strvalue", "title", "toUpper", "toLower", "match", "reReplaceAll", "safeHtml", "args",
        "stripPort", "stripDomain", "externalURL", "pathPrefix", "graphLink", "tableLink", "sortByLabel", "parseDuration",
        "toTime", "eq", "ne", "lt", "le", "gt", "ge", "and", "or", "not", "len", "index", "print", "println", "urlquery", "html", "js",
    ]

    static func call(_ name: String, _ args: [TemplateValue], _ env: TemplateEnvironment) throws(TemplateError) -> TemplateValue {
        func number(_ i: Int) throws(TemplateError) -> Double {
            guard i < args.count else { throw TemplateError("wrong number of args for \(name): want \(i + 1) got \(args.count)") }
            guard let v = args[i].number else { throw TemplateError("can't convert \(args[i].printed) to float") }
            return v
        }
        func string(_ i: Int) throws(TemplateError) -> String {
            guard i < args.count else { throw TemplateError("wrong number of args for \(name): want \(i + 1) got \(args.count)") }
            return args[i].printed
        }
        switch name {
        case "humanize": return .string(Humanize.si(try number(0)))
        case "humanize1024": return .string(Humanize.binary(try number(0)))
        case "humanizeDuration": return .string(Humanize.duration(try number(0)))
        case "humanizePercentage": return .string(GoFormat.c("%.4g", try number(0) * 100) + "%")
        case "humanizeTimestamp": return .string(Humanize.timestamp(try number(0)))
        case "printf": return .string(try GoPrintf.format(try string(0), Array(args.dropFirst())))
        case "print": return .string(args.map(\.printed).joined())
        case "println": return .string(args.map(\.printed).joined(separator: " ") + "\n")
        case "query":
            guard let query = env.query else { throw TemplateError("query is not available here") }
            return .list(try query(try string(0)).map { .sample(labels: $0.labels, value: $0.value) })
        case "first":
            guard case .list(let l)? = args.first else { throw TemplateError("first() called on a non-list") }
            guard let f = l.first else { throw TemplateError("first() called on vector with no elements") }
            return f
        case "value": return .number(try number(0))
        case "label":
            guard args.count == 2, case .sample(let labels, _) = args[1] else { return .string("") }
            return .string(labels[try string(0)] ?? "")
        case "strvalue":
            guard case .sample(let labels, _)? = args.first else { return .string("") }
            return .string(labels["__value__"] ?? "")
        case "title": return .string(try string(0).split(separator: " ", omittingEmptySubsequences: false).map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined(separator: " "))
        case "toUpper": return .string(try string(0).uppercased())
        case "toLower": return .string(try string(0).lowercased())
        case "safeHtml", "html", "js", "urlquery": return .string(try string(0))
        case "match":
            do { return .bool(try AnchoredRegex.matchesAnywhere(try string(0), try string(1))) } catch { throw TemplateError("\(error)") }
        case "reReplaceAll":
            do { return .string(try AnchoredRegex.replacingAll(try string(0), with: try string(1), in: try string(2))) } catch { throw TemplateError("\(error)") }
        case "args":
            var m: [String: TemplateValue] = [:]
            for (i, a) in args.enumerated() { m["arg\(i)"] = a }
            return .map(m)
        case "stripPort":
            let s = try string(0)
            if s.hasPrefix("["), let close = s.firstIndex(of: "]") { return .string(String(s[s.index(after: s.startIndex)..<close])) }
            return .string(s.split(separator: ":").count == 2 ? String(s.split(separator: ":")[0]) : s)
        case "stripDomain":
            let s = try string(0)
            let host = s.split(separator: ":").first.map(String.init) ?? s
            let port = s.dropFirst(host.count)
            return .string((host.split(separator: ".").first.map(String.init) ?? host) + port)
        case "externalURL": return .string(env.externalURL)
        case "pathPrefix": return .string(URL(string: env.externalURL)?.path ?? "")
        case "graphLink", "tableLink":
            let expr = try string(0).addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return .string("/graph?g0.expr=\(expr)&g0.tab=\(name == "graphLink" ? 0 : 1)")
        case "sortByLabel":
            guard case .list(let l)? = args.dropFirst().first else { return .list([]) }
            let key = try string(0)
            return .list(l.sorted { a, b in
                guard case .sample(let x, _) = a, case .sample(let y, _) = b else { return false }
                return (x[key] ?? "") < (y[key] ?? "")
            })
        case "parseDuration":
            do { return .number(Double(try PromQLDuration.milliseconds(try string(0))) / 1000) } catch { throw TemplateError("\(error)") }
        case "toTime": return .number(try number(0))
        case "len":
            switch args.first {
            case .list(let l)?: return .int(l.count)
            case .map(let m)?: return .int(m.count)
            case .string(let s)?: return .int(s.utf8.count)
            default: throw TemplateError("len of \(args.first?.printed ?? "nothing")")
            }
        case "index":
            guard args.count == 2 else { throw TemplateError("wrong number of args for index") }
            switch (args[0], args[1]) {
            case (.map(let m), let key): return m[key.printed] ?? .null
            case (.list(let l), let i):
                let k = Int(i.number ?? -1)
                return k >= 0 && k < l.count ? l[k] : .null
            default: throw TemplateError("can't index \(args[0].printed)")
            }
        case "not": return .bool(!(args.first?.truthy ?? false))
        case "and": return args.first { !$0.truthy } ?? args.last ?? .bool(false)
        case "or": return args.first { $0.truthy } ?? args.last ?? .bool(false)
        case "eq", "ne", "lt", "le", "gt", "ge":
            guard args.count >= 2 else { throw TemplateError("missing argument for comparison") }
            let order: Int
            if let a = args[0].number, let b = args[1].number, !(args[0].isString && args[1].isString) {
                order = a < b ? -1 : (a > b ? 1 : 0)
            } else {
                let a = args[0].printed, b = args[1].printed
                order = a < b ? -1 : (a > b ? 1 : 0)
            }
            switch name {
            case "eq": return .bool(args.dropFirst().contains { $0.printed == args[0].printed } || order == 0)
            case "ne": return .bool(order != 0)
            case "lt": return .bool(order < 0)
            case "le": return .bool(order <= 0)
            case "gt": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        default:
            throw TemplateError("function \"\(name)\" not defined")
        }
    }
}

extension TemplateValue {
    var isString: Bool { if case .string = self { return true }; return false }
}

/// Prometheus's humanize family.
enum Humanize {
    static func si(_ v: Double) -> String {
        if v == 0 || v.isNaN || v.isInfinite { return GoFormat.c("%.4g", v) }
        var x = v, prefix = ""
        if abs(x) >= 1 {
            for p in ["k", "M", "G", "T", "P", "E", "Z", "Y"] where abs(x) >= 1000 {
                prefix = p
                x /= 1000
            }
        } else {
            for p in ["m", "u", "n", "p", "f", "a", "z", "y"] where abs(x) < 1 {
                prefix = p
                x *= 1000
            }
        }
        return GoFormat.c("%.4g", x) + prefix
    }

    static func binary(_ v: Double) -> String {
        if abs(v) <= 1 || v.isNaN || v.isInfinite { return GoFormat.c("%.4g", v) }
        var x = v, prefix = ""
        for p in ["ki", "Mi", "Gi", "Ti", "Pi", "Ei", "Zi", "Yi"] where abs(x) >= 1024 {
            prefix = p
            x /= 1024
        }
        return GoFormat.c("%.4g", x) + prefix
    }

    static func duration(_ value: Double) -> String {
        if value.isNaN || value.isInfinite { return GoFormat.c("%.4g", value) }
        if value == 0 { return GoFormat.c("%.4g", value) + "s" }
        var v = value
        if abs(v) >= 1 {
            var sign = ""
            if v < 0 {
                sign = "-"
                v = -v
            }
            let d = Int64(v)
            let seconds = d % 60, minutes = d / 60 % 60, hours = d / 3600 % 24, days = d / 86_400
            if days != 0 { return "\(sign)\(days)d \(hours)h \(minutes)m \(seconds)s" }
            if hours != 0 { return "\(sign)\(hours)h \(minutes)m \(seconds)s" }
            if minutes != 0 { return "\(sign)\(minutes)m \(seconds)s" }
            return sign + GoFormat.c("%.4g", v) + "s"
        }
        var prefix = ""
        for p in ["m", "u", "n", "p", "f", "a", "z", "y"] where abs(v) < 1 {
            prefix = p
            v *= 1000
        }
        return GoFormat.c("%.4g", v) + prefix + "s"
    }

    /// Go's `time.Time.String()` in UTC: `2026-11-29 06:00:00.5 +0000 UTC`.
    static func timestamp(_ v: Double) -> String {
        if v.isNaN || v.isInfinite { return GoFormat.c("%.4g", v) }
        let nanos = Int64((v * 1e9).rounded())
        let seconds = nanos >= 0 ? nanos / 1_000_000_000 : (nanos - 999_999_999) / 1_000_000_000
        let frac = nanos - seconds * 1_000_000_000
        let d = CivilDate(unixSeconds: seconds)
        func pad(_ x: Int64, _ n: Int) -> String { String(repeating: "0", count: max(0, n - String(x).count)) + String(x) }
        var text = "\(pad(d.year, 4))-\(pad(d.month, 2))-\(pad(d.day, 2)) \(pad(d.secondOfDay / 3600, 2)):\(pad(d.secondOfDay / 60 % 60, 2)):\(pad(d.secondOfDay % 60, 2))"
        if frac != 0 {
            var f = pad(frac, 9)
            while f.hasSuffix("0") { f.removeLast() }
            text += "." + f
        }
        return text + " +0000 UTC"
    }
}

/// Go's `fmt.Sprintf` for the verbs templates use: `%s %v %d %f %e %g %q %x %%`, with flags,
/// width and precision.
enum GoPrintf {
    static func format(_ format: String, _ args: [TemplateValue]) throws(TemplateError) -> String {
        var out = ""
        var next = 0
        var chars = format[...]
        while let percent = chars.firstIndex(of: "%") {
            out += chars[..<percent]
            var j = chars.index(after: percent)
            var spec = "%"
            while j < chars.endIndex, "+- #0123456789.".contains(chars[j]) {
                spec.append(chars[j])
                j = chars.index(after: j)
            }
            guard j < chars.endIndex else { out += spec; chars = chars[j...]; break }
            let verb = chars[j]
            chars = chars[chars.index(after: j)...]
            if verb == "%" { out += "%"; continue }
            guard next < args.count else { out += "%!\(verb)(MISSING)"; continue }
            let arg = args[next]
            next += 1
            switch verb {
            case "d":
                if let v = arg.number, v == v.rounded() { out += GoFormat.c(spec + ".0f", v) } else { out += "%!d(\(arg.printed))" }
            case "f", "F", "e", "E", "g", "G":
                guard let v = arg.number else { out += "%!\(verb)(string=\(arg.printed))"; continue }
                out += GoFormat.c(spec + String(verb), v)
            case "x", "X":
                if let v = arg.number, v == v.rounded() { out += String(Int64(v), radix: 16, uppercase: verb == "X") } else {
                    out += arg.printed.utf8.map { String($0, radix: 16, uppercase: verb == "X") }.joined()
                }
            case "q": out += "\"" + arg.printed.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            default:
                let text = arg.printed
                if let width = Int(spec.dropFirst().filter(\.isNumber)), text.count < width {
                    let padding = String(repeating: " ", count: width - text.count)
                    out += spec.contains("-") ? text + padding : padding + text
                } else {
                    out += text
                }
            }
        }
        out += chars
        if next < args.count { out += "%!(EXTRA " + args[next...].map(\.printed).joined(separator: ", ") + ")" }
        return out
    }
}
