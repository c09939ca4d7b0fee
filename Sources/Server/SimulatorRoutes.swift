import Foundation
import Hummingbird
import NIOCore
import Simulator

/// Serves a `Simulation` over HTTP: every endpoint's `/metrics`, and `/targets` in file_sd
/// shape. Simulated time follows the wall clock, `speed` times faster, from the start.
public enum SimulatorRoutes {
    public static func router(_ simulation: Simulation, clock: SimulationClock, synthetic: SyntheticTargets? = nil) -> Router<BasicRequestContext> {
        let router = Router()
        if let synthetic {
            router.get("/synthetic/:target/metrics") { request, context in
                guard let target = context.parameters.get("target", as: Int.self),
                      let body = synthetic.exposition(target: target, atMs: clock.simulatedNowMs()) else {
                    return Response(status: .notFound)
                }
                return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                                body: .init(byteBuffer: ByteBuffer(bytes: body)))
            }
            router.get("/synthetic/targets") { request, _ in
                let host = request.head.authority ?? "127.0.0.1"
                return json((0..<synthetic.count).map { ["targets": [host], "labels": ["__metrics_path__": synthetic.path($0)]] })
            }
        }
        router.get("/targets") { request, _ in
            simulation.advance(toMs: clock.simulatedNowMs())
            let host = request.head.authority ?? "127.0.0.1"
            return json(targetGroups(simulation, host: host))
        }
        router.get("/**") { request, _ in
            simulation.advance(toMs: clock.simulatedNowMs())
            guard let body = simulation.exposition(path: request.uri.path) else {
                return Response(status: .notFound, body: .init(byteBuffer: ByteBuffer(string: "no such endpoint: \(request.uri.path)\n")))
            }
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: body)))
        }
        return router
    }

    /// The simulator's endpoints as file_sd target groups, one per endpoint (its path as `__metrics_path__`).
    public static func targetGroups(_ simulation: Simulation, host: String) -> [[String: Any]] {
        simulation.endpoints.map { e in
            var labels = ["__metrics_path__": e.path, "simulated": e.kind.rawValue]
            if let model = e.model { labels["model_name"] = model }
            if let replica = e.replica { labels["pod"] = "\(SimulatedEndpoint.slug(e.model ?? ""))-\(replica)" }
            return ["targets": [host], "labels": labels]
        }
    }

    static func json(_ value: Any) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("[]".utf8)
        return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: Array(data))))
    }
}

/// Maps wall-clock time to simulated time: `start + (now − start) × speed`.
public struct SimulationClock: Sendable {
    public let startMs: Int64
    public let speed: Double
    let wallNow: @Sendable () -> Int64

    public init(startMs: Int64, speed: Double, wallNow: @escaping @Sendable () -> Int64) {
        self.startMs = startMs
        self.speed = speed
        self.wallNow = wallNow
    }

    public func simulatedNowMs() -> Int64 { startMs + Int64(Double(wallNow() - startMs) * speed) }
}
