import Hummingbird
import NIOCore
import Remote
import TSDB

/// Prometheus's remote read and write endpoints.
enum RemoteRoutes {
    /// Compressed request bodies above this are refused before decoding.
    static let maxBodyBytes = 64 << 20
    /// Decoded write requests above this are refused.
    static let maxDecodedBytes = 256 << 20

    /// The request body, nil when it is larger than `maxBodyBytes`.
    static func body(of request: Request) async -> [UInt8]? {
        var request = request
        guard let buffer = try? await request.collectBody(upTo: maxBodyBytes) else { return nil }
        return Array(buffer.readableBytesView)
    }

    static func add(to router: Router<BasicRequestContext>, _ context: ServerContext) {
        router.post("/api/v1/write") { request, _ in
            guard let storage = context.storage() else { return ServerRoutes.text(.serviceUnavailable, "Service Unavailable\n") }
            guard let body = await body(of: request) else {
                return ServerRoutes.text(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes\n")
            }
            do throws(RemoteWriteReceiver.Refusal) {
                _ = try RemoteWriteReceiver.handle(body: body, limit: maxDecodedBytes, into: storage)
                return Response(status: .noContent)
            } catch {
                return ServerRoutes.text(HTTPResponse.Status(code: error.status), error.message + "\n")
            }
        }
        router.post("/api/v1/read") { request, _ in
            guard let storage = context.storage() else { return ServerRoutes.text(.serviceUnavailable, "Service Unavailable\n") }
            guard let body = await body(of: request) else {
                return ServerRoutes.text(.contentTooLarge, "request body larger than \(maxBodyBytes) bytes\n")
            }
            let handler = RemoteReadHandler(querier: storage.querier(), externalLabels: context.externalLabels())
            do throws(RemoteWriteReceiver.Refusal) {
                switch try handler.handle(body: body) {
                case .samples(let bytes):
                    return Response(status: .ok, headers: [.contentType: RemoteReadHandler.samplesContentType, .contentEncoding: "snappy"],
                                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
                case .streamed(let bytes):
                    return Response(status: .ok, headers: [.contentType: RemoteReadHandler.streamedContentType],
                                    body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
                }
            } catch {
                return ServerRoutes.text(HTTPResponse.Status(code: error.status), error.message + "\n")
            }
        }
    }
}
