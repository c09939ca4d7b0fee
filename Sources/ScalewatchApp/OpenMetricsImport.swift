import Exposition
import Logging
import TSDB

/// `scalewatch import openmetrics FILE`: backfills an OpenMetrics file into the store, as
/// `promtool tsdb create-blocks-from openmetrics` does. Every sample needs a timestamp; the
/// file must end with `# EOF`. Samples of a series are sorted by time before they are appended.
public enum OpenMetricsImport {
    public struct Report: Sendable, Equatable {
        public var series = 0
        public var samples = 0
        public var rejected = 0
        public var firstRejection: String? = nil
    }

    public struct Failure: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public static func run(body: [UInt8], file: String, into storage: Storage) throws(Failure) -> Report {
        var parser = ExpositionParser(bytes: body, format: .openMetrics)
        var series: [String: (labels: Labels, points: [(t: Int64, v: Double)])] = [:]
        var order: [String] = []
        do {
            while let entry = try parser.next() {
                guard entry == .sample else { continue }
                guard let t = parser.timestamp else {
                    throw Failure(message: "\(file):\(parser.entryLine): sample without a timestamp (backfill needs one on every sample)")
                }
                let key = parser.string(parser.series)
                if series[key] == nil {
                    var pairs = [Label("__name__", parser.metricNameString)]
                    for i in parser.labels.indices { pairs.append(Label(parser.labelName(i), parser.labelValue(i))) }
                    do {
                        series[key] = (try Labels(pairs), [])
                    } catch {
                        throw Failure(message: "\(file):\(parser.entryLine): \(error)")
                    }
                    order.append(key)
                }
                series[key]!.points.append((t, parser.value))
            }
        } catch let error as Failure {
            throw error
        } catch {
            throw Failure(message: "\(file): \(error)")
        }
        var report = Report()
        let app = storage.appender()
        var pending = 0
        for key in order {
            let (labels, points) = series[key]!
            report.series += 1
            let target = app.series(for: labels)
            for p in points.sorted(by: { $0.t < $1.t }) {
                do throws(AppendError) {
                    try app.append(target, p.t, p.v)
                    report.samples += 1
                    pending += 1
                } catch {
                    report.rejected += 1
                    if report.firstRejection == nil { report.firstRejection = error.description }
                }
                if pending >= 100_000 {
                    app.commit()
                    pending = 0
                }
            }
        }
        app.commit()
        return report
    }
}
