import Foundation
import Hummingbird
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import Synchronization

/// A scrape target for tests: a real HTTP(S) server on 127.0.0.1 and an ephemeral port,
/// answering every path with `handler`. `stop()` shuts it down.
public final class TestTargetServer: Sendable {
    public let port: Int
    let group: ServiceGroup
    let task: Task<Void, any Error>

    public static func start(tls: TLSConfiguration? = nil, method: HTTPRequest.Method = .get,
                             handler: @escaping @Sendable (Request) async throws -> Response) async throws -> TestTargetServer {
        let router = Router()
        router.on("/**", method: method) { request, _ in try await handler(request) }
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var logger = Logger(label: "test-target")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: try tls.map { try .tls(.http1(), tlsConfiguration: $0) } ?? .http1(),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            },
            logger: logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], gracefulShutdownSignals: [], logger: logger))
        let task = Task { try await group.run() }
        var port = 0
        for await p in ports {
            port = p
            break
        }
        return TestTargetServer(port: port, group: group, task: task)
    }

    init(port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        self.group = group
        self.task = task
    }

    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }

    public static func text(_ body: String, contentType: String = "text/plain; version=0.0.4", status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}

/// Records what a handler saw, for assertions after the scrape.
public final class RequestLog: Sendable {
    public init() {}

    private let headers = Mutex<[HTTPFields]>([])

    public func record(_ request: Request) { headers.withLock { $0.append(request.headers) } }

    public var last: HTTPFields? { headers.withLock { $0.last } }
    public var count: Int { headers.withLock { $0.count } }
}
