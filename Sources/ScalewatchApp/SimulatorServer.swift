import Hummingbird
import Logging
import Server
import ServiceLifecycle
import Simulator

/// The simulator's HTTP server, started on its own (ephemeral) port so a config can be built
/// around it; `stop()` shuts it down.
public final class SimulatorServer: Sendable {
    public let simulation: Simulation
    public let port: Int
    let task: Task<Void, any Error>

    public static func start(simulation: Simulation, clock: SimulationClock, synthetic: SyntheticTargets? = nil,
                             host: String = "127.0.0.1", port: Int = 0, logger: Logger) async throws -> SimulatorServer {
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        var quiet = logger
        quiet.logLevel = max(logger.logLevel, .warning)
        let app = Application(
            router: SimulatorRoutes.router(simulation, clock: clock, synthetic: synthetic),
            configuration: .init(address: .hostname(host, port: port), serverName: "Scalewatch-Simulator"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? port)
                continuation.finish()
            },
            logger: quiet)
        let group = ServiceGroup(configuration: .init(services: [.init(service: app)], gracefulShutdownSignals: [], logger: quiet))
        let task = Task { try await group.run() }
        var bound: Int? = nil
        for await p in ports {
            bound = p
            break
        }
        guard let bound else {
            await group.triggerGracefulShutdown()
            throw ScalewatchRunner.RunError(message: "the simulator could not listen on \(host):\(port)")
        }
        return SimulatorServer(simulation: simulation, port: bound, group: group, task: task)
    }

    let group: ServiceGroup

    init(simulation: Simulation, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.simulation = simulation
        self.port = port
        self.group = group
        self.task = task
    }

    /// Shuts the server down gracefully and waits for it.
    public func stop() async {
        await group.triggerGracefulShutdown()
        _ = await task.result
    }
}
