import AsyncHTTPClient
import Exposition
import NIOCore
import NIOHTTP1
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Fetches targets over HTTP(S) the way Prometheus's scraper does: its Accept header, gzip,
/// `X-Prometheus-Scrape-Timeout-Seconds`, credentials read from their files on every scrape,
/// only 200 accepted, and the body limit applied to the uncompressed bytes.
public final class HTTPScraper: Sendable {
    let client: HTTPClient
    /// Clients for `tls_config.server_name`, one per (server name, host): the URL names the
    /// server name (so SNI and certificate checks use it) and DNS is overridden to the host.
    let serverNameClients = Mutex<[String: HTTPClient]>([:])
    public static let userAgent = "Scalewatch/0.1"

    public init() {
        client = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Self.configuration(dnsOverride: [:]))
    }

    static func configuration(dnsOverride: [String: String]) -> HTTPClient.Configuration {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .follow(max: 10, allowCycles: false),
            decompression: .enabled(limit: .none))
        configuration.connectionPool = .init(idleTimeout: .seconds(90))
        // A refused or failed connection is that scrape's error at once, as in Prometheus, not retried to the deadline.
        configuration.connectionPool.retryConnectionEstablishment = false
        configuration.dnsOverride = dnsOverride
        return configuration
    }

    private let isShutDown = Atomic<Bool>(false)

    public func shutdown() async throws {
        isShutDown.store(true, ordering: .relaxed)
        let extra = serverNameClients.withLock { c in
            defer { c = [:] }
            return Array(c.values)
        }
        for c in extra { try await c.shutdown() }
        try await client.shutdown()
    }

    /// A scraper dropped without `shutdown()` (an error path) hands its clients to a task that
    /// shuts them down, instead of letting them be freed open.
    deinit {
        guard !isShutDown.load(ordering: .relaxed) else { return }
        let clients = [client] + serverNameClients.withLock { Array($0.values) }
        Task.detached { for c in clients { try? await c.shutdown() } }
    }

    /// The client and URL for a target: with a TLS server name, a URL on that name and a client
    /// whose DNS sends it to the target's host; otherwise the shared client and the target's URL.
    func route(_ target: ScrapeTarget, _ tls: TLSSettings) -> (HTTPClient, String) {
        guard let serverName = tls.serverName, !serverName.isEmpty, target.url.hasPrefix("https://"),
              let colon = target.address.lastIndex(of: ":") else { return (client, target.url) }
        var host = String(target.address[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        let port = target.address[target.address.index(after: colon)...]
        let key = serverName + "\u{0}" + host
        let routed = serverNameClients.withLock { clients in
            if let c = clients[key] { return c }
            let c = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: Self.configuration(dnsOverride: [serverName: host]))
            clients[key] = c
            return c
        }
        return (routed, "https://\(serverName):\(port)\(target.pathAndQuery)")
    }

    /// What a successful scrape returned.
    public struct Body: Sendable {
        public let bytes: [UInt8]
        public let format: ExpositionFormat
        /// The response Content-Type, as sent.
        public let contentType: String
    }

    public func scrape(_ target: ScrapeTarget, _ config: ScrapeConfig) async throws(ScrapeFailure) -> Body {
        let (client, url) = route(target, config.tls)
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Accept", value: ExpositionFormat.scrapeAcceptHeader)
        request.headers.add(name: "Accept-Encoding", value: config.enableCompression ? "gzip" : "identity")
        request.headers.add(name: "User-Agent", value: Self.userAgent)
        request.headers.add(name: "X-Prometheus-Scrape-Timeout-Seconds", value: formatSeconds(target.timeoutMs))
        if let auth = try HTTPCredentials.authorizationHeader(authorization: config.authorization, basicAuth: config.basicAuth) {
            request.headers.add(name: "Authorization", value: auth)
        }
        if target.url.hasPrefix("https://") { request.tlsConfiguration = try HTTPCredentials.tlsConfiguration(config.tls) }
        let limit = Self.effectiveBodyLimit(config.limits)
        let timeout = target.timeoutMs
        let prepared = request
        let outcome: Result<Body, ScrapeFailure> = await withTaskGroup(of: Result<Body, ScrapeFailure>?.self) { group in
            group.addTask {
                do {
                    let response = try await client.execute(prepared, timeout: .milliseconds(timeout))
                    guard response.status == .ok else {
                        return .failure(.status(code: Int(response.status.code), reason: response.status.reasonPhrase))
                    }
                    let buffer = try await response.body.collect(upTo: limit)
                    let contentType = response.headers.first(name: "Content-Type") ?? ""
                    return .success(Body(bytes: Array(buffer.readableBytesView), format: ExpositionFormat(contentType: contentType), contentType: contentType))
                } catch is NIOTooManyBytesError {
                    return .failure(.bodyTooLarge(limit: Int64(limit)))
                } catch is CancellationError {
                    return nil
                } catch {
                    return .failure(Self.describe(error))
                }
            }
            group.addTask {
                try? await Task.sleep(for: .milliseconds(timeout))
                return Task.isCancelled ? nil : .failure(.timeout(ms: timeout))
            }
            var first: Result<Body, ScrapeFailure>? = nil
            while let next = await group.next() {
                if let next {
                    first = next
                    break
                }
            }
            group.cancelAll()
            return first ?? .failure(.timeout(ms: timeout))
        }
        return try outcome.get()
    }

    /// Prometheus has no body limit by default; one runaway target must not take the process
    /// down, so without `body_size_limit` a scrape still stops at 256 MiB (uncompressed).
    public static let defaultBodyCeiling = 256 << 20

    static func effectiveBodyLimit(_ limits: ScrapeLimits) -> Int {
        limits.bodySizeLimit > 0 ? Int(min(limits.bodySizeLimit, Int64(Int.max))) : defaultBodyCeiling
    }

    static func describe(_ error: any Error) -> ScrapeFailure {
        if let e = error as? HTTPClientError {
            if e == .deadlineExceeded || e == .readTimeout || e == .connectTimeout { return .transport("Get: context deadline exceeded (\(e))") }
            if e == .remoteConnectionClosed { return .transport("connection closed by the target before the response ended") }
            return .transport("\(e)")
        }
        if let e = error as? NIOSSLError { return .transport("TLS: \(e)") }
        if let e = error as? NIOSSLExtraError {
            return .transport("TLS: \(e) (the certificate does not name the target's host; tls_config.server_name sets the name to check)")
        }
        if let e = error as? IOError { return .transport("connection failed: \(e)") }
        return .transport("\(error)")
    }
}

/// Go's `strconv.FormatFloat(seconds, 'f', -1, 64)` for a whole number of milliseconds.
func formatSeconds(_ ms: Int64) -> String {
    if ms % 1000 == 0 { return String(ms / 1000) }
    var fraction = String(ms % 1000)
    while fraction.count < 3 { fraction = "0" + fraction }
    while fraction.hasSuffix("0") { fraction.removeLast() }
    return "\(ms / 1000).\(fraction)"
}

/// Standard base64 with padding.
func base64(_ bytes: [UInt8]) -> String {
    let table = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".unicodeScalars)
    var out = String.UnicodeScalarView()
    var i = 0
    while i < bytes.count {
        let b0 = UInt32(bytes[i]), b1 = i + 1 < bytes.count ? UInt32(bytes[i + 1]) : 0, b2 = i + 2 < bytes.count ? UInt32(bytes[i + 2]) : 0
        let n = b0 << 16 | b1 << 8 | b2
        out.append(table[Int(n >> 18 & 63)])
        out.append(table[Int(n >> 12 & 63)])
        out.append(i + 1 < bytes.count ? table[Int(n >> 6 & 63)] : "=")
        out.append(i + 2 < bytes.count ? table[Int(n & 63)] : "=")
        i += 3
    }
    return String(out)
}
