import Hummingbird
import Logging
import NIOCore
import PromQL
import Rules
import Scrape
import TSDB

/// What `/api/v1/status/*` reports about the running process.
public struct ServerStatus: Sendable {
    public var configYAML = ""
    public var startTimeMs: Int64 = 0
    public var lastConfigTimeMs: Int64 = 0
    public var reloadConfigSuccess = true
    public var storageRetention = ""
    public var flags: [String: String] = [:]

    public init() {}
}

/// What the HTTP routes need from the running system.
public struct ServerContext: Sendable {
    /// The store once its WAL is replayed; nil before (data endpoints answer 503 until then).
    public let storage: @Sendable () -> Storage?
    public let metrics: @Sendable () -> SelfMetrics?
    public let scrapePools: @Sendable () -> [ScrapePool]
    public let externalLabels: @Sendable () -> [String: String]
    /// Reloads the config; the error text when the new config is rejected.
    public let reload: @Sendable () async -> String?
    public let now: @Sendable () -> Int64
    public let status: @Sendable () -> ServerStatus
    /// The rule groups and their state (empty without rule files).
    public let rules: @Sendable () -> [GroupState]
    /// The latest recommendation of each autoscaling policy: its name and its JSON object.
    public let recommendations: @Sendable () -> [(policy: String, json: String)]

    public init(
        storage: @escaping @Sendable () -> Storage?, metrics: @escaping @Sendable () -> SelfMetrics?, scrapePools: @escaping @Sendable () -> [ScrapePool],
        externalLabels: @escaping @Sendable () -> [String: String], reload: @escaping @Sendable () async -> String?,
        now: @escaping @Sendable () -> Int64, status: @escaping @Sendable () -> ServerStatus = { ServerStatus() },
        rules: @escaping @Sendable () -> [GroupState] = { [] },
        recommendations: @escaping @Sendable () -> [(policy: String, json: String)] = { [] }
    ) {
        self.recommendations = recommendations
        self.status = status
        self.rules = rules
        self.storage = storage
        self.metrics = metrics
        self.scrapePools = scrapePools
        self.externalLabels = externalLabels
        self.reload = reload
        self.now = now
    }
}

/// The routes of Scalewatch's HTTP server.
public enum ServerRoutes {
    static let textFormat = "text/plain; version=0.0.4; charset=utf-8"

    public static func router(_ context: ServerContext) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/-/healthy") { _, _ in text(.ok, "Scalewatch is Healthy.\n") }
        router.head("/-/healthy") { _, _ in text(.ok, "") }
        router.get("/-/ready") { _, _ in
            context.storage() != nil ? text(.ok, "Scalewatch is Ready.\n") : text(.serviceUnavailable, "Service Unavailable\n")
        }
        router.post("/-/reload") { _, _ in
            if let problem = await context.reload() { return text(.internalServerError, "failed to reload config: \(problem)\n") }
            return text(.ok, "")
        }
        router.put("/-/reload") { _, _ in
            if let problem = await context.reload() { return text(.internalServerError, "failed to reload config: \(problem)\n") }
            return text(.ok, "")
        }
        router.get("/metrics") { request, _ in
            guard let metrics = context.metrics() else { return text(.serviceUnavailable, "Service Unavailable\n") }
            return bytes(.ok, metrics.collect(), contentType: textFormat, gzip: Gzip.accepted(request.headers[.acceptEncoding]))
        }
        router.get("/federate") { request, _ in try await federate(request, context) }
        router.post("/federate") { request, _ in try await federate(request, context) }
        RemoteRoutes.add(to: router, context)
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/api/v1/query", method: method) { request, _ in
                try await query(request, context) { form, engine in QueryAPI.instant(form, engine: engine, nowMs: context.now()) }
            }
            router.on("/api/v1/query_range", method: method) { request, _ in
                try await query(request, context) { form, engine in QueryAPI.range(form, engine: engine) }
            }
            router.on("/api/v1/labels", method: method) { request, _ in
                try await query(request, context) { form, engine in MetadataAPI.labels(form, engine.querier) }
            }
            router.on("/api/v1/series", method: method) { request, _ in
                try await query(request, context) { form, engine in MetadataAPI.series(form, engine.querier) }
            }
        }
        router.get("/api/v1/metadata") { request, _ in
            let a = MetadataAPI.metadata(FormValues(request.uri.query), context.scrapePools())
            return json(a.body, status: a.status)
        }
        router.get("/api/v1/label/:name/values") { request, ctx in
            let name = ctx.parameters.get("name") ?? ""
            return try await query(request, context) { form, engine in MetadataAPI.labelValues(name, form, engine.querier) }
        }
        StatusAPI.add(to: router, context)
        router.get("/api/v1/rules") { request, _ in
            json(RulesAPI.rules(context.rules(), type: FormValues(request.uri.query).first("type")))
        }
        router.get("/api/v1/alerts") { _, _ in json(RulesAPI.alerts(context.rules())) }
        router.get("/api/v1/recommendations") { request, _ in
            let policy = FormValues(request.uri.query).first("policy")
            let all = context.recommendations().filter { policy == nil || $0.policy == policy }
            return json(#"{"status":"success","data":["# + all.map(\.json).joined(separator: ",") + "]}")
        }
        for method in [HTTPRequest.Method.get, .post] {
            router.on("/api/v1/format_query", method: method) { request, _ in
                try await answer(request) { form in StatusAPI.formatQuery(form) }
            }
            router.on("/api/v1/parse_query", method: method) { request, _ in
                try await answer(request) { form in StatusAPI.parseQuery(form) }
            }
        }
        router.get("/api/v1/targets") { request, _ in
            let form = FormValues(request.uri.query)
            return bytes(.ok, TargetsAPI.render(pools: context.scrapePools(), state: form.first("state"), scrapePool: form.first("scrapePool")),
                         contentType: "application/json", gzip: Gzip.accepted(request.headers[.acceptEncoding]))
        }
        return router
    }

    static func query(_ request: Request, _ context: ServerContext, _ answer: (FormValues, Engine) -> QueryAPI.Answer) async throws -> Response {
        guard let storage = context.storage() else { return text(.serviceUnavailable, "Service Unavailable\n") }
        return try await Self.answer(request) { form in answer(form, Engine(querier: storage.querier())) }
    }

    /// The request's form (query string, and a POSTed form body) answered as JSON.
    static func answer(_ request: Request, _ answer: (FormValues) -> QueryAPI.Answer) async throws -> Response {
        var form = FormValues(request.uri.query)
        if request.method == .post, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            var request = request
            form.merge(FormValues(String(buffer: try await request.collectBody(upTo: 1 << 20))))
        }
        let a = answer(form)
        return json(a.body, status: a.status)
    }

    static func json(_ body: String, status: Int = 200) -> Response {
        Response(status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func federate(_ request: Request, _ context: ServerContext) async throws -> Response {
        var form = FormValues(request.uri.query)
        if request.method == .post, request.headers[.contentType]?.hasPrefix("application/x-www-form-urlencoded") == true {
            var request = request
            let body = try await request.collectBody(upTo: 1 << 20)
            form.merge(FormValues(String(buffer: body)))
        }
        var selectors: [SeriesSelector] = []
        for text in form.all("match[]") {
            do {
                selectors.append(try SeriesSelector(parsing: text))
            } catch {
                return Self.text(.badRequest, "\(error)\n")
            }
        }
        guard let storage = context.storage() else { return text(.serviceUnavailable, "Service Unavailable\n") }
        let federation = Federation(querier: storage.querier(), externalLabels: context.externalLabels())
        return bytes(.ok, federation.render(selectors: selectors, nowMs: context.now()), contentType: textFormat,
                     gzip: Gzip.accepted(request.headers[.acceptEncoding]))
    }

    static func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func bytes(_ status: HTTPResponse.Status, _ body: [UInt8], contentType: String, gzip: Bool) -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        var payload = body
        if gzip, let compressed = try? Gzip.compress(body) {
            payload = compressed
            headers[.contentEncoding] = "gzip"
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: payload)))
    }
}
