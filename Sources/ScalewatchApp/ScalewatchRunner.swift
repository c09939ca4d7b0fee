import Autoscale
import Hummingbird
import Logging
import Prometheus
import Server
import ServiceLifecycle

/// Runs Scalewatch: the controller and its HTTP server in one `ServiceGroup` that drains on
/// SIGTERM or SIGINT (server first, then scraping, then the store's flush and snapshot).
public enum ScalewatchRunner {
    public static func run(
        config: ScalewatchConfig, configPath: String?, registry: PrometheusCollectorRegistry, logger: Logger,
        extraServices: [any Service] = [],
        actuator: (any Actuator)? = nil,
        onDecision: @escaping @Sendable (AutoscaleService.Latest) -> Void = { _ in },
        onAction: @escaping @Sendable (String) -> Void = { _ in },
        onListening: @escaping @Sendable (String) -> Void = { _ in },
        onReady: @escaping @Sendable (Controller) async -> Void = { _ in }
    ) async throws {
        guard let listen = HostPort(config.web.listenAddress) else {
            throw RunError(message: "web.listen_address \"\(config.web.listenAddress)\" is not host:port")
        }
        let controller = Controller(config: config, configPath: configPath, registry: registry, logger: logger,
                                    actuator: actuator, onDecision: onDecision, onAction: onAction, onReady: onReady)
        var serverLogger = logger
        serverLogger.logLevel = max(logger.logLevel, .notice)
        let app = Application(
            router: ServerRoutes.router(controller.serverContext),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "Scalewatch"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                let host = listen.host == "0.0.0.0" || listen.host == "::" ? "127.0.0.1" : listen.host
                onListening("http://\(host):\(port)")
            },
            logger: serverLogger)
        let services: [ServiceGroupConfiguration.ServiceConfiguration] =
            [.init(service: controller)] + extraServices.map { .init(service: $0) } + [.init(service: app)]
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }

    public struct RunError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }
}
