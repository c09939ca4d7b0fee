import Foundation
import PromQL
import TSDB

/// `/api/v1/query` and `/api/v1/query_range` with Prometheus's JSON: `status`, `data`
/// (`resultType`, `result`), `errorType` / `error`; values as strings (`"NaN"`, `"+Inf"`),
/// timestamps in seconds with up to three decimals.
public enum QueryAPI {
    public struct Answer: Sendable {
        public let status: Int
        public let body: String
    }

    /// An answer that is an error, thrown where a helper cannot return it.
    struct Refusal: Error {
        let answer: Answer
    }

    public static func instant(_ form: FormValues, engine: Engine, nowMs: Int64) -> Answer {
        guard let query = form.first("query") else { return error(400, "bad_data", "invalid parameter \"query\": query is empty") }
        let time: Int64
        if let text = form.first("time") {
            guard let t = parseTime(text) else { return error(400, "bad_data", "invalid parameter \"time\": cannot parse \"\(text)\" to a valid timestamp") }
            time = t
        } else {
            time = nowMs
        }
        return evaluate(query, form, engine, at: time) { try $0.instantResult(Parser.parse(query), atMs: time) }
    }

    public static func range(_ form: FormValues, engine: Engine) -> Answer {
        guard let query = form.first("query") else { return error(400, "bad_data", "invalid parameter \"query\": query is empty") }
        guard let startText = form.first("start"), let start = parseTime(startText) else { return error(400, "bad_data", "invalid parameter \"start\": cannot parse \"\(form.first("start") ?? "")\" to a valid timestamp") }
        guard let endText = form.first("end"), let end = parseTime(endText) else { return error(400, "bad_data", "invalid parameter \"end\": cannot parse \"\(form.first("end") ?? "")\" to a valid timestamp") }
        guard end >= start else { return error(400, "bad_data", "invalid parameter \"end\": end timestamp must not be before start time") }
        guard let stepText = form.first("step"), let step = parseDuration(stepText) else { return error(400, "bad_data", "invalid parameter \"step\": cannot parse \"\(form.first("step") ?? "")\" to a valid duration") }
        guard step > 0 else { return error(400, "bad_data", "zero or negative query resolution step widths are not accepted. Try a positive integer") }
        if (end - start) / step > 11_000 {
            return error(400, "bad_data", "exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)")
        }
        return evaluate(query, form, engine, at: end) { try $0.rangeResult(Parser.parse(query), startMs: start, endMs: end, stepMs: step) }
    }

    /// Runs a query under the request's `timeout` (at most the engine's) and maps failures to
    /// Prometheus's codes: 400 bad_data, 422 execution, 503 timeout or canceled.
    static func evaluate(_ query: String, _ form: FormValues, _ engine: Engine, at t: Int64, _ run: (Engine) throws -> QueryResult) -> Answer {
        var engine = engine
        if let text = form.first("timeout") {
            guard let ms = parseDuration(text), ms > 0 else {
                return error(400, "bad_data", "invalid parameter \"timeout\": cannot parse \"\(text)\" to a valid duration")
            }
            let requested = Duration.milliseconds(ms)
            engine.limits.timeout = engine.limits.timeout.map { min($0, requested) } ?? requested
        }
        engine.limits.isCancelled = { Task.isCancelled }
        do {
            let result = try run(engine)
            return Answer(status: 200, body: success(result.value, at: t, warnings: result.warnings, infos: result.infos))
        } catch let e as PromQLError {
            return error(400, "bad_data", "invalid parameter \"query\": \(e.describe(in: query))")
        } catch QueryStop.timeout {
            return error(503, "timeout", QueryStop.timeout.description)
        } catch QueryStop.canceled {
            return error(503, "canceled", QueryStop.canceled.description)
        } catch {
            return QueryAPI.error(422, "execution", "\(error)")
        }
    }

    static func error(_ status: Int, _ type: String, _ message: String) -> Answer {
        Answer(status: status, body: #"{"status":"error","errorType":"\#(type)","error":\#(jsonString(message))}"#)
    }

    /// `warnings` and `infos` appear only when there are some, as Prometheus omits them.
    static func success(_ value: Value, at t: Int64, warnings: [String] = [], infos: [String] = []) -> String {
        let (type, result): (String, String)
        switch value {
        case .scalar(let v): (type, result) = ("scalar", "[\(seconds(t)),\"\(formatValue(v))\"]")
        case .string(let s): (type, result) = ("string", "[\(seconds(t)),\(jsonString(s))]")
        case .vector(let samples):
            type = "vector"
            result = "[" + samples.map { #"{"metric":\#(metric($0.labels)),"value":[\#(seconds(t)),"\#(formatValue($0.value))"]}"# }.joined(separator: ",") + "]"
        case .matrix(let series):
            type = "matrix"
            result = "[" + series.map { s in
                #"{"metric":\#(metric(s.labels)),"values":["# + s.points.map { "[\(seconds($0.t)),\"\(formatValue($0.v))\"]" }.joined(separator: ",") + "]}"
            }.joined(separator: ",") + "]"
        }
        var annotations = ""
        if !warnings.isEmpty { annotations += #","warnings":["# + warnings.map(jsonString).joined(separator: ",") + "]" }
        if !infos.isEmpty { annotations += #","infos":["# + infos.map(jsonString).joined(separator: ",") + "]" }
        return #"{"status":"success","data":{"resultType":"\#(type)","result":\#(result)}\#(annotations)}"#
    }

    static func metric(_ labels: [String: String]) -> String {
        "{" + labels.keys.sorted().map { "\(jsonString($0)):\(jsonString(labels[$0]!))" }.joined(separator: ",") + "}"
    }

    static func jsonString(_ s: String) -> String { JSONString.quote(s) }

    /// A timestamp in seconds as Prometheus's `MarshalTimestamp` writes it: the whole seconds,
    /// and when there is a fraction, all three of its digits (`1435781451.780`, `1435781451`,
    /// `-0.001`).
    static func seconds(_ ms: Int64) -> String {
        let sign = ms < 0 ? "-" : ""
        let magnitude = ms.magnitude
        let frac = magnitude % 1000
        if frac == 0 { return sign + String(magnitude / 1000) }
        let digits = String(frac)
        return sign + String(magnitude / 1000) + "." + String(repeating: "0", count: 3 - digits.count) + digits
    }

    /// Values as Prometheus writes them: `"NaN"`, `"+Inf"`, `"-Inf"`, or shortest round-trip digits.
    public static func formatValue(_ v: Double) -> String { GoFloat.format(v) }

    /// RFC 3339 or Unix seconds with decimals, to milliseconds.
    public static func parseTime(_ text: String) -> Int64? {
        if let v = Double(text), v.isFinite { return Int64((v * 1000).rounded()) }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = formatter.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        formatter.formatOptions = [.withInternetDateTime]
        if let d = formatter.date(from: text) { return Int64((d.timeIntervalSince1970 * 1000).rounded()) }
        return nil
    }

    /// A duration (`15s`, `1m`) or float seconds, to milliseconds.
    public static func parseDuration(_ text: String) -> Int64? {
        if let v = Double(text), v.isFinite { return Int64((v * 1000).rounded()) }
        return try? PromQLDuration.milliseconds(text)
    }
}
