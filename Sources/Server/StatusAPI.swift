import Foundation
import Hummingbird
import PromQL

/// `/api/v1/status/{buildinfo,config,runtimeinfo,flags}`, `/api/v1/format_query` and
/// `/api/v1/parse_query`, in Prometheus's JSON.
enum StatusAPI {
    /// The Prometheus version whose API this one follows (Grafana picks features by it).
    static let compatibleVersion = "2.42.0"

    static func add(to router: Router<BasicRequestContext>, _ context: ServerContext) {
        router.get("/api/v1/status/buildinfo") { _, _ in
            ServerRoutes.json(success(JSONText.object([
                "version": JSONText.string(compatibleVersion), "revision": JSONText.string("scalewatch"), "branch": JSONText.string("main"),
                "buildUser": JSONText.string("scalewatch"), "buildDate": JSONText.string("20261129-00:00:00"), "goVersion": JSONText.string("swift6"),
            ])))
        }
        router.get("/api/v1/status/config") { _, _ in
            ServerRoutes.json(success(JSONText.object(["yaml": JSONText.string(context.status().configYAML)])))
        }
        router.get("/api/v1/status/flags") { _, _ in
            let flags = context.status().flags
            return ServerRoutes.json(success(JSONText.object(flags.mapValues(JSONText.string))))
        }
        router.get("/api/v1/status/runtimeinfo") { _, _ in
            let s = context.status()
            return ServerRoutes.json(success(JSONText.object([
                "startTime": JSONText.string(RFC3339.format(ms: s.startTimeMs)), "CWD": JSONText.string(FileManager.default.currentDirectoryPath),
                "reloadConfigSuccess": String(s.reloadConfigSuccess), "lastConfigTime": JSONText.string(RFC3339.format(ms: s.lastConfigTimeMs)),
                "corruptionCount": "0", "goroutineCount": "0", "GOMAXPROCS": String(ProcessInfo.processInfo.activeProcessorCount),
                "GOMEMLIMIT": "0", "GOGC": JSONText.string(""), "GODEBUG": JSONText.string(""), "storageRetention": JSONText.string(s.storageRetention),
            ])))
        }
    }

    static func formatQuery(_ form: FormValues) -> QueryAPI.Answer {
        parsed(form) { expr in success(JSONText.string(expr.prettified)) }
    }

    static func parseQuery(_ form: FormValues) -> QueryAPI.Answer {
        parsed(form) { expr in success(ParseQueryJSON.tree(expr)) }
    }

    static func parsed(_ form: FormValues, _ render: (Expr) -> String) -> QueryAPI.Answer {
        guard let query = form.first("query") else { return QueryAPI.error(400, "bad_data", "invalid parameter \"query\": query is empty") }
        do { return QueryAPI.Answer(status: 200, body: render(try Parser.parse(query))) } catch {
            return QueryAPI.error(400, "bad_data", "invalid parameter \"query\": \(error.describe(in: query))")
        }
    }

    static func success(_ data: String) -> String { #"{"status":"success","data":\#(data)}"# }
}
