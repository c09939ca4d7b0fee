import ArgumentParser
import ScalewatchApp

/// `scalewatch query …`, like `promtool query`: asks any Prometheus-compatible API.
struct Query: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Query a Prometheus-compatible API (Scalewatch's or Prometheus's) and print the result as promtool does.",
        subcommands: [QueryInstant.self, QueryRange.self, QuerySeries.self, QueryLabels.self]
    )
}

struct QueryInstant: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "instant", abstract: "Run an instant query.")
    @Argument(help: "The server's URL, e.g. http://127.0.0.1:9090.") var server: String
    @Argument(help: "The PromQL expression.") var expr: String
    @Option(help: "Evaluation time (RFC 3339 or Unix seconds); now by default.") var time: String?

    func run() async throws {
        print(try await QueryClient.instant(server: server, query: expr, time: time))
    }
}

struct QueryRange: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "range", abstract: "Run a range query.")
    @Argument(help: "The server's URL.") var server: String
    @Argument(help: "The PromQL expression.") var expr: String
    @Option(help: "Start time (RFC 3339 or Unix seconds).") var start: String
    @Option(help: "End time (RFC 3339 or Unix seconds).") var end: String
    @Option(help: "Step: a duration (15s) or float seconds.") var step = "1m"

    func run() async throws {
        print(try await QueryClient.range(server: server, query: expr, start: start, end: end, step: step))
    }
}

struct QuerySeries: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "series", abstract: "List the series that match selectors.")
    @Argument(help: "The server's URL.") var server: String
    @Option(name: .customLong("match"), help: "A series selector; repeat for several.") var matchers: [String]
    @Option(help: "Start time.") var start: String?
    @Option(help: "End time.") var end: String?

    func run() async throws {
        print(try await QueryClient.series(server: server, matchers: matchers, start: start, end: end))
    }
}

struct QueryLabels: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "labels", abstract: "List the values of a label.")
    @Argument(help: "The server's URL.") var server: String
    @Argument(help: "The label name.") var name: String
    @Option(name: .customLong("match"), help: "A series selector; repeat for several.") var matchers: [String] = []
    @Option(help: "Start time.") var start: String?
    @Option(help: "End time.") var end: String?

    func run() async throws {
        print(try await QueryClient.labels(server: server, name: name, matchers: matchers, start: start, end: end))
    }
}
