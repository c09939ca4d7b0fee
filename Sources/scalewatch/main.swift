import ArgumentParser
import Exposition
import Logging
import Metrics
import Prometheus
import ScalewatchApp

#if canImport(Glibc)
import Glibc
#endif

/// The `scalewatch` command line.
@main
struct Scalewatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scalewatch",
        abstract: "Observability and autoscaling for Kueue queues and model servers.",
        subcommands: [Run.self, Check.self]
    )
}

/// Logging and metrics, set up once per process.
enum ProcessSetup {
    static func bootstrap(logLevel: String) throws -> PrometheusCollectorRegistry {
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log.level must be one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }
}

struct Run: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Scalewatch on a config file: scrape, store, serve; SIGHUP reloads, SIGTERM drains."
    )

    @Option(name: .customLong("config"), help: "The config file.")
    var config: String

    @Option(name: .customLong("web.listen-address"), help: "Override web.listen_address (host:port; port 0 picks a free one).")
    var listenAddress: String?

    @Option(name: .customLong("log.level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "info"

    func run() async throws {
        let registry = try ProcessSetup.bootstrap(logLevel: logLevel)
        var loaded: ScalewatchConfig
        do {
            loaded = try ScalewatchConfig.load(path: config)
        } catch {
            StandardError.write("config \(config) is invalid:\n\(error)\n")
            throw ExitCode(1)
        }
        if let listenAddress { loaded.web.listenAddress = listenAddress }
        let logger = Logger(label: "scalewatch")
        try await ScalewatchRunner.run(config: loaded, configPath: config, registry: registry, logger: logger,
                                       onListening: { url in print("Scalewatch listening on \(url)") })
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check inputs the way promtool does.",
        subcommands: [CheckMetrics.self, CheckConfig.self]
    )
}

struct CheckMetrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metrics",
        abstract: "Read an exposition from stdin; print parse errors and lint findings (exit 0 clean, 3 findings, 1 parse error)."
    )

    @Option(help: "Exposition format: text or openmetrics (default: OpenMetrics when the input ends in '# EOF').")
    var format: String?

    func run() throws {
        var input: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = buffer.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if n <= 0 { break }
            input.append(contentsOf: buffer[0..<n])
        }
        let declared: ExpositionFormat? = switch format {
        case "openmetrics": .openMetrics
        case "text": .prometheusText
        case nil: nil
        default: throw ValidationError("--format must be text or openmetrics")
        }
        let outcome = MetricsCheck.run(input, format: declared)
        if outcome.exitCode == MetricsCheck.parseErrorExitCode {
            StandardError.write(outcome.output)
        } else {
            print(outcome.output, terminator: "")
        }
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config",
        abstract: "Check config files; print every issue with file, line and key (exit 1 if any)."
    )

    @Argument(help: "Config files to check.")
    var files: [String]

    func run() throws {
        let outcome = ConfigCheck.run(paths: files)
        print(outcome.output, terminator: "")
        StandardError.write(outcome.errors)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

enum StandardError {
    static func write(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
