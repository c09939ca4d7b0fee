import ArgumentParser
import Foundation
import ScalewatchApp
import Server
import Simulator
import TSDB

#if canImport(Glibc)
import Glibc
#endif

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Replay the config's autoscaling policies over history, next to Kubernetes' HPA defaults on the same signals.",
        discussion: """
            History comes from a copy of the config's store (a running Scalewatch is left alone), from an OpenMetrics \
            file (--import), or from the simulator's demand trace (--simulate). The workload model: the load signal \
            does not depend on replicas, a new replica serves after the policy's lead_time (2m unless set), and the SLO \
            is breached while the load per ready replica is above capacity_per_replica (twice the target unless set).
            """
    )

    @Option(help: "The config file whose autoscaling policies are replayed.")
    var config: String

    @Option(help: "Start: RFC 3339 or Unix seconds.")
    var from: String

    @Option(help: "End: RFC 3339 or Unix seconds.")
    var to: String

    @Option(help: "Replay an OpenMetrics file (timestamps on every sample) instead of the store.")
    var `import`: String?

    @Flag(help: "Replay the simulator's demand trace for the range (vLLM models' requests running and waiting).")
    var simulate = false

    @Option(help: "Seed of the simulated trace.")
    var seed: UInt64 = 42

    @Option(help: "Step of the simulated clock (the policies' interval unless set), such as 15s.")
    var step: String?

    @Flag(help: "Print the report as JSON.")
    var json = false

    func run() throws {
        let parsed: ScalewatchConfig
        do { parsed = try ScalewatchConfig.load(path: config) } catch {
            StandardError.write("config \(config) is invalid:\n\(error)\n")
            throw ExitCode(1)
        }
        guard let fromMs = QueryAPI.parseTime(from), let toMs = QueryAPI.parseTime(to) else {
            throw ValidationError("--from and --to must be RFC 3339 or Unix seconds")
        }
        var options = Backtest.Options(fromMs: fromMs, toMs: toMs)
        if let step {
            guard let ms = QueryAPI.parseDuration(step), ms > 0 else { throw ValidationError("--step must be a duration such as 15s") }
            options.stepMs = ms
        }
        do { try Backtest.check(options, stepMs: options.stepMs ?? parsed.autoscaling.intervalMs) } catch {
            StandardError.write("\(error)\n")
            throw ExitCode(1)
        }
        let inMemory = simulate || `import` != nil
        var storageOptions = parsed.storage.options
        storageOptions.retentionMs = 1 << 50
        // The store is read from a copy: a running Scalewatch keeps its directory to itself, and
        // closing the copy's store (which snapshots) changes nothing of the original.
        var copy: String? = nil
        if inMemory {
            storageOptions.path = nil
        } else if let original = storageOptions.path {
            guard FileManager.default.fileExists(atPath: original) else {
                StandardError.write("no store at \(original) (storage.path of \(config)); use --import or --simulate for other history\n")
                throw ExitCode(1)
            }
            let target = NSTemporaryDirectory() + "scalewatch-backtest-\(getpid())"
            do { try FileManager.default.copyItem(atPath: original, toPath: target) } catch {
                StandardError.write("cannot copy the store \(original) to \(target): \(error)\n")
                throw ExitCode(1)
            }
            copy = target
            storageOptions.path = target
        }
        defer {
            if let copy {
                do { try FileManager.default.removeItem(atPath: copy) } catch { StandardError.write("removing the copy \(copy): \(error)\n") }
            }
        }
        let storage = try Storage(options: storageOptions)
        defer { do { try storage.close() } catch { StandardError.write("closing the store: \(error)\n") } }
        if simulate {
            try Backtest.writeSimulatorTrace(.standard(seed: seed), into: storage, fromMs: fromMs - 3_600_000, toMs: toMs,
                                             stepMs: options.stepMs ?? parsed.autoscaling.intervalMs)
        } else if let file = `import` {
            guard let data = FileManager.default.contents(atPath: file) else {
                StandardError.write("cannot read \(file)\n")
                throw ExitCode(1)
            }
            do { _ = try OpenMetricsImport.run(body: Array(data), file: file, into: storage) } catch {
                StandardError.write("\(error)\n")
                throw ExitCode(1)
            }
        }
        let showProgress = isatty(2) != 0 && !json
        let report: Backtest.Report
        do {
            report = try Backtest.run(parsed.autoscaling, storage: storage, options: options) { fraction in
                guard showProgress else { return }
                let width = 30, filled = Int(fraction * Double(width))
                StandardError.write("\r[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] \(Int(fraction * 100))%")
                if fraction >= 1 { StandardError.write("\n") }
            }
        } catch {
            StandardError.write("\(error)\n")
            throw ExitCode(1)
        }
        print(json ? report.json : report.table)
    }
}
