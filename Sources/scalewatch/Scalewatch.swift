import ArgumentParser
import ConfigSupport
import Foundation
import Exposition
import Logging
import Metrics
import Prometheus
import ScalewatchApp
import Scrape
import Server
import Simulator
import TSDB
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// The `scalewatch` command line.
@main
struct Scalewatch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scalewatch",
        abstract: "Observability and autoscaling for Kueue queues and model servers.",
        subcommands: [Run.self, Demo.self, Simulate.self, Query.self, Import.self, Check.self, TestCommand.self, BacktestCommand.self]
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

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run Scalewatch on simulated Kueue and model servers (no cluster needed); Ctrl-C stops it."
    )

    @Option(help: "Port of the API on 127.0.0.1 (0 picks a free one).")
    var port = 0

    @Option(help: "Seed of the simulated world.")
    var seed: UInt64 = 42

    @Option(help: "Simulated seconds per real second.")
    var speed = 1.0

    @Option(name: .customLong("log.level"), help: "trace, debug, info, notice, warning, error or critical.")
    var logLevel = "warning"

    func run() async throws {
        let registry = try ProcessSetup.bootstrap(logLevel: logLevel)
        var options = ScalewatchApp.Demo.Options()
        options.port = port
        options.seed = seed
        options.speed = speed
        try await ScalewatchApp.Demo.run(options, registry: registry, logger: Logger(label: "scalewatch"), print: { line in
            print(line)
            fflush(nil)
        })
    }
}

struct Simulate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve simulated Kueue and model-server metrics endpoints (list: /targets); SIGTERM stops it."
    )

    @Option(name: .customLong("listen"), help: "host:port to serve on (port 0 picks a free one).")
    var listen = "127.0.0.1:9100"

    @Option(help: "Seed of the simulated world.")
    var seed: UInt64 = 42

    @Option(help: "Simulated seconds per real second.")
    var speed = 1.0

    @Option(name: .customLong("synthetic-targets"), help: "Also serve this many plain synthetic targets (soak tests; list: /synthetic/targets).")
    var syntheticTargets = 0

    @Option(name: .customLong("synthetic-series"), help: "Series per synthetic target.")
    var syntheticSeries = 1000

    func run() async throws {
        _ = try ProcessSetup.bootstrap(logLevel: "warning")
        guard let address = HostPort(listen) else { throw ValidationError("--listen must be host:port") }
        let logger = Logger(label: "scalewatch.simulate")
        let start = wallClockMilliseconds()
        let simulation = Simulation(config: .standard(seed: seed), startMs: start)
        let clock = SimulationClock(startMs: start, speed: speed, wallNow: { wallClockMilliseconds() })
        let synthetic = syntheticTargets > 0 ? SyntheticTargets(count: syntheticTargets, series: syntheticSeries) : nil
        let server = try await SimulatorServer.start(simulation: simulation, clock: clock, synthetic: synthetic,
                                                     host: address.host, port: address.port, logger: logger)
        print("Simulator listening on http://\(address.host):\(server.port) (endpoints: /targets)")
        for e in simulation.endpoints { print("  \(e.kind.rawValue)\t\(e.path)") }
        fflush(nil)
        for await _ in await UnixSignalsSequence(trapping: .sigterm, .sigint) { break }
        await server.stop()
    }
}

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Backfill data into the store.",
        subcommands: [ImportOpenMetrics.self]
    )
}

struct ImportOpenMetrics: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "openmetrics",
        abstract: "Backfill an OpenMetrics file (timestamps on every sample, ending in # EOF), like promtool tsdb create-blocks-from openmetrics."
    )

    @Argument(help: "The OpenMetrics file.")
    var file: String

    @Option(name: .customLong("config"), help: "Take storage.path and storage.retention from this config file.")
    var config: String?

    @Option(name: .customLong("storage.path"), help: "The store's directory (overrides the config's).")
    var storagePath: String?

    func run() throws {
        var storage = StorageSection()
        if let config {
            do { storage = try ScalewatchConfig.load(path: config).storage } catch {
                StandardError.write("config \(config) is invalid:\n\(error)\n")
                throw ExitCode(1)
            }
        }
        if let storagePath { storage.path = storagePath }
        guard let data = FileManager.default.contents(atPath: file) else {
            StandardError.write("cannot read \(file)\n")
            throw ExitCode(1)
        }
        var options = storage.options
        // Backfilled history may be older than the retention window measured from now.
        options.retentionMs = max(options.retentionMs, 1 << 50)
        let store = try Storage(options: options)
        do {
            let report = try OpenMetricsImport.run(body: Array(data), file: file, into: store)
            try store.close()
            print("imported \(report.samples) samples of \(report.series) series into \(storage.path)"
                + (report.rejected > 0 ? "; \(report.rejected) rejected (first: \(report.firstRejection ?? ""))" : ""))
        } catch {
            try store.close()
            StandardError.write("\(error)\n")
            throw ExitCode(1)
        }
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

    @Option(name: .customLong("rules.alert.resend-delay"), help: "How often firing alerts are sent again to Alertmanager (as Prometheus's flag).")
    var resendDelay = "1m"

    func run() async throws {
        let registry = try ProcessSetup.bootstrap(logLevel: logLevel)
        guard let resendMs = try? ConfigDuration(parsing: resendDelay).milliseconds, resendMs > 0 else {
            throw ValidationError("--rules.alert.resend-delay must be a duration such as 1m, got \(resendDelay)")
        }
        var loaded: ScalewatchConfig
        do {
            loaded = try ScalewatchConfig.load(path: config)
        } catch {
            StandardError.write("config \(config) is invalid:\n\(error)\n")
            throw ExitCode(1)
        }
        if let listenAddress { loaded.web.listenAddress = listenAddress }
        loaded.resendDelayMs = resendMs
        let logger = Logger(label: "scalewatch")
        try await ScalewatchRunner.run(config: loaded, configPath: config, registry: registry, logger: logger,
                                       onListening: { url in
                                           print("Scalewatch listening on \(url)")
                                           fflush(nil)
                                       })
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check inputs the way promtool does.",
        subcommands: [CheckMetrics.self, CheckConfig.self, CheckRules.self]
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

struct CheckRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Check rule files as promtool check rules does; every problem with file and line (exit 1 if any)."
    )

    @Argument(help: "Rule files to check.")
    var files: [String]

    func run() throws {
        let outcome = RulesCheck.check(paths: files)
        print(outcome.output, terminator: "")
        StandardError.write(outcome.errors)
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

/// `scalewatch test …`: unit tests of rules.
struct TestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "test", abstract: "Run unit tests.", subcommands: [TestRules.self])
}

struct TestRules: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Run rule unit tests in promtool test rules format with Scalewatch's own engine (exit 1 on any failure)."
    )

    @Argument(help: "Test files.")
    var files: [String]

    func run() throws {
        let outcome = RulesCheck.test(paths: files)
        print(outcome.output, terminator: "")
        if outcome.exitCode != 0 { throw ExitCode(outcome.exitCode) }
    }
}

enum StandardError {
    static func write(_ s: String) {
        var bytes = Array(s.utf8)
        _ = bytes.withUnsafeMutableBytes { Glibc.write(2, $0.baseAddress, $0.count) }
    }
}
