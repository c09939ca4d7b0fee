import PromQL
import Scrape
import TSDB

/// `/api/v1/labels`, `/api/v1/label/<name>/values`, `/api/v1/series` and `/api/v1/metadata`, in
/// Prometheus's JSON. `match[]` selectors narrow the answer (several are unioned), `start` and
/// `end` keep series with samples in that window, and `limit` caps it.
enum MetadataAPI {
    static func selectors(_ form: FormValues) throws(QueryAPI.Refusal) -> [[LabelMatcher]] {
        var out: [[LabelMatcher]] = []
        for text in form.all("match[]") {
            do { out.append(try SeriesSelector(parsing: text).matchers) } catch {
                throw QueryAPI.Refusal(answer: QueryAPI.error(400, "bad_data", "invalid parameter \"match[]\": \(error)"))
            }
        }
        return out
    }

    static func limited(_ values: [String], _ form: FormValues) -> [String] {
        guard let text = form.first("limit"), let n = Int(text), n > 0 else { return values }
        return Array(values.prefix(n))
    }

    static func strings(_ values: [String]) -> QueryAPI.Answer {
        QueryAPI.Answer(status: 200, body: #"{"status":"success","data":["# + values.map(QueryAPI.jsonString).joined(separator: ",") + "]}")
    }

    /// The `start`/`end` window, or nil when neither is given (then the index answers directly).
    static func window(_ form: FormValues) throws(QueryAPI.Refusal) -> (Int64, Int64)? {
        let start = try time(form, "start"), end = try time(form, "end")
        if start == nil && end == nil { return nil }
        return (start ?? .min, end ?? .max)
    }

    static func time(_ form: FormValues, _ key: String) throws(QueryAPI.Refusal) -> Int64? {
        guard let text = form.first(key) else { return nil }
        guard let t = QueryAPI.parseTime(text) else {
            throw QueryAPI.Refusal(answer: QueryAPI.error(400, "bad_data", "invalid parameter \"\(key)\": cannot parse \"\(text)\" to a valid timestamp"))
        }
        return t
    }

    /// The label sets of series with samples in the window that match any of `sets` (all series if empty).
    static func seriesLabels(_ sets: [[LabelMatcher]], _ querier: HeadQuerier, _ window: (Int64, Int64)) -> [Labels] {
        (sets.isEmpty ? [[LabelMatcher.notEqual("__name__", "")]] : sets).flatMap { querier.select($0, minTime: window.0, maxTime: window.1).map(\.labels) }
    }

    static func labels(_ form: FormValues, _ querier: HeadQuerier) -> QueryAPI.Answer {
        do {
            let sets = try selectors(form)
            let names: Set<String>
            if let w = try window(form) {
                names = Set(seriesLabels(sets, querier, w).flatMap { $0.pairs.map(\.name) })
            } else {
                names = Set((sets.isEmpty ? [[]] : sets).flatMap { querier.labelNames($0) })
            }
            return strings(limited(names.sorted(), form))
        } catch { return error.answer }
    }

    static func labelValues(_ name: String, _ form: FormValues, _ querier: HeadQuerier) -> QueryAPI.Answer {
        do {
            let sets = try selectors(form)
            let values: Set<String>
            if let w = try window(form) {
                values = Set(seriesLabels(sets, querier, w).compactMap { $0[name] })
            } else {
                values = Set((sets.isEmpty ? [[]] : sets).flatMap { querier.labelValues(name, $0) })
            }
            return strings(limited(values.sorted(), form))
        } catch { return error.answer }
    }

    /// `/api/v1/metadata`: each family's distinct TYPE/HELP/UNIT over all targets; `metric` picks
    /// one family, `limit` caps the families and `limit_per_metric` the entries of each.
    static func metadata(_ form: FormValues, _ pools: [ScrapePool]) -> QueryAPI.Answer {
        var byName: [String: [TargetMetadata.Entry]] = [:]
        for pool in pools {
            for loop in pool.activeTargets {
                for (name, entry) in loop.metadata where form.first("metric").map({ $0 == name }) ?? true {
                    if !(byName[name]?.contains(entry) ?? false) { byName[name, default: []].append(entry) }
                }
            }
        }
        var names = byName.keys.sorted()
        if let n = form.first("limit").flatMap(Int.init), n >= 0 { names = Array(names.prefix(n)) }
        let perMetric = form.first("limit_per_metric").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        let body = names.map { name in
            let entries = byName[name]!.prefix(perMetric ?? Int.max).map {
                #"{"type":\#(QueryAPI.jsonString($0.type)),"help":\#(QueryAPI.jsonString($0.help)),"unit":\#(QueryAPI.jsonString($0.unit))}"#
            }
            return "\(QueryAPI.jsonString(name)):[\(entries.joined(separator: ","))]"
        }
        return QueryAPI.Answer(status: 200, body: #"{"status":"success","data":{"# + body.joined(separator: ",") + "}}")
    }

    static func series(_ form: FormValues, _ querier: HeadQuerier) -> QueryAPI.Answer {
        do {
            let sets = try selectors(form)
            guard !sets.isEmpty else { return QueryAPI.error(400, "bad_data", "no match[] parameter provided") }
            let (start, end) = try window(form) ?? (.min, .max)
            var seen = Set<Labels>()
            var out: [Labels] = []
            for matchers in sets {
                for s in querier.select(matchers, minTime: start, maxTime: end) where seen.insert(s.labels).inserted {
                    out.append(s.labels)
                }
            }
            out.sort { $0.pairs.lexicographicallyPrecedes($1.pairs) }
            if let text = form.first("limit"), let n = Int(text), n > 0 { out = Array(out.prefix(n)) }
            let body = out.map { l in "{" + l.pairs.map { "\(QueryAPI.jsonString($0.name)):\(QueryAPI.jsonString($0.value))" }.joined(separator: ",") + "}" }
            return QueryAPI.Answer(status: 200, body: #"{"status":"success","data":["# + body.joined(separator: ",") + "]}")
        } catch { return error.answer }
    }
}
