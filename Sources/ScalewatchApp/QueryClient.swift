import AsyncHTTPClient
import Foundation
import NIOCore
import PromQL

/// `scalewatch query …`: asks a Prometheus-compatible API (Scalewatch's or Prometheus's own) and
/// prints the answer as `promtool query` does.
public enum QueryClient {
    /// Why a query command failed: the server's error, or a transport or format problem.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// GETs `path` with `parameters` from `server` and returns the `data` member of a success.
    static func fetch(_ server: String, _ path: String, _ parameters: [(String, String)], timeout: Duration = .seconds(130)) async throws -> Any {
        guard var components = URLComponents(string: server.hasSuffix("/") ? String(server.dropLast()) : server) else {
            throw Failure(description: "invalid server URL \"\(server)\"")
        }
        components.path += path
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` in a query value is a space to Go's form parser: encode it.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let url = components.string else { throw Failure(description: "invalid server URL \"\(server)\"") }
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await HTTPClient.shared.execute(HTTPClientRequest(url: url), timeout: .nanoseconds(timeout.components.seconds * 1_000_000_000))
            body = try await response.body.collect(upTo: 256 << 20)
        } catch {
            throw Failure(description: "\(url): \(error)")
        }
        guard let json = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw Failure(description: "\(url): HTTP \(response.status.code), not a Prometheus API answer")
        }
        guard json["status"] as? String == "success", let data = json["data"] else {
            throw Failure(description: "\(json["errorType"] as? String ?? "error"): \(json["error"] as? String ?? "HTTP \(response.status.code)")")
        }
        return data
    }

    public static func instant(server: String, query: String, time: String?) async throws -> String {
        var parameters = [("query", query)]
        if let time { parameters.append(("time", time)) }
        return try render(await fetch(server, "/api/v1/query", parameters))
    }

    public static func range(server: String, query: String, start: String, end: String, step: String) async throws -> String {
        try render(await fetch(server, "/api/v1/query_range", [("query", query), ("start", start), ("end", end), ("step", step)]))
    }

    public static func series(server: String, matchers: [String], start: String?, end: String?) async throws -> String {
        var parameters = matchers.map { ("match[]", $0) }
        if let start { parameters.append(("start", start)) }
        if let end { parameters.append(("end", end)) }
        let data = try await fetch(server, "/api/v1/series", parameters)
        guard let sets = data as? [[String: String]] else { throw Failure(description: "unexpected series answer") }
        return sets.map { metric($0, bare: true) }.joined(separator: "\n")
    }

    /// The values of label `name` (`promtool query labels`).
    public static func labels(server: String, name: String, matchers: [String], start: String?, end: String?) async throws -> String {
        var parameters = matchers.map { ("match[]", $0) }
        if let start { parameters.append(("start", start)) }
        if let end { parameters.append(("end", end)) }
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? name
        let data = try await fetch(server, "/api/v1/label/\(encoded)/values", parameters)
        guard let values = data as? [String] else { throw Failure(description: "unexpected label values answer") }
        return values.joined(separator: "\n")
    }

    /// Prometheus's `model.Value` text: `name{a="1"} => 2 @[1700000000.5]`; matrices list one
    /// `value @[time]` per line under each series.
    static func render(_ data: Any) throws -> String {
        guard let object = data as? [String: Any], let type = object["resultType"] as? String else {
            throw Failure(description: "unexpected query answer")
        }
        func point(_ p: Any?) -> String {
            guard let pair = p as? [Any], pair.count == 2 else { return "?" }
            let t = (pair[0] as? NSNumber)?.doubleValue ?? .nan
            return "\(pair[1] as? String ?? "?") @[\(GoFloat.format(t))]"
        }
        switch type {
        case "scalar", "string":
            return "\(type): \(point(object["result"]))"
        case "vector":
            let samples = object["result"] as? [[String: Any]] ?? []
            return samples.map { "\(metric($0["metric"] as? [String: String] ?? [:])) => \(point($0["value"]))" }.joined(separator: "\n")
        default:
            let series = object["result"] as? [[String: Any]] ?? []
            return series.map { s in
                ([metric(s["metric"] as? [String: String] ?? [:]) + " =>"] + (s["values"] as? [Any] ?? []).map(point)).joined(separator: "\n")
            }.joined(separator: "\n")
        }
    }

    /// `name{a="1", b="2"}` (Prometheus's `model.Metric` text); `bare` keeps `__name__` inside the braces.
    static func metric(_ labels: [String: String], bare: Bool = false) -> String {
        let name = bare ? nil : labels["__name__"]
        let rest = labels.filter { bare || $0.key != "__name__" }.sorted { $0.key < $1.key }
        if let name, rest.isEmpty { return name }
        return (name ?? "") + "{" + rest.map { "\($0.key)=\(Expr.quotedForDisplay($0.value))" }.joined(separator: ", ") + "}"
    }
}
