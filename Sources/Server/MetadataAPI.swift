import PromQL
import TSDB

/// `/api/v1/labels`, `/api/v1/label/<name>/values` and `/api/v1/series`, in Prometheus's JSON.
/// `match[]` selectors narrow the answer (several are unioned); `limit` caps it. Everything in the
/// head is considered: `start` and `end` narrow only `/series`.
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

    static func labels(_ form: FormValues, _ querier: HeadQuerier) -> QueryAPI.Answer {
        do {
            let sets = try selectors(form)
            let names = Set((sets.isEmpty ? [[]] : sets).flatMap { querier.labelNames($0) })
            return strings(limited(names.sorted(), form))
        } catch { return error.answer }
    }

    static func labelValues(_ name: String, _ form: FormValues, _ querier: HeadQuerier) -> QueryAPI.Answer {
        do {
            let sets = try selectors(form)
            let values = Set((sets.isEmpty ? [[]] : sets).flatMap { querier.labelValues(name, $0) })
            return strings(limited(values.sorted(), form))
        } catch { return error.answer }
    }

    static func series(_ form: FormValues, _ querier: HeadQuerier) -> QueryAPI.Answer {
        do {
            let sets = try selectors(form)
            guard !sets.isEmpty else { return QueryAPI.error(400, "bad_data", "no match[] parameter provided") }
            let start = form.first("start").flatMap(QueryAPI.parseTime) ?? .min
            let end = form.first("end").flatMap(QueryAPI.parseTime) ?? .max
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
