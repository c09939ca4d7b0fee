import Exposition
import TSDB

/// Appends the samples of one exposition body to storage, the way a scrape does: each sample
/// gets the target's labels (`job`, `instance`, …), series are found through the target's
/// `SeriesCache`, and samples without a timestamp take the scrape time.
public struct ExpositionIngester: Sendable {
    public var cache = SeriesCache()
    /// Labels added to every series of the target; exposed labels of the same name are
    /// overwritten (the scrape config's `honor_labels` is applied by the scrape loop).
    public let targetLabels: [Label]

    public init(targetLabels: [Label] = []) {
        self.targetLabels = targetLabels
    }

    /// What one ingest did.
    public struct Report: Sendable, Equatable {
        public var samples = 0
        public var appended = 0
        public var seriesAdded = 0
        /// Samples the store rejected (out of order, duplicate, too old), with the first reason.
        public var rejected = 0
        public var firstRejection: String? = nil
    }

    /// Parses `body` and appends every sample through `appender` (not committed: the caller
    /// commits, or rolls back on a parse error so a broken scrape stores nothing).
    public mutating func ingest(
        _ body: [UInt8], format: ExpositionFormat, timestampMs: Int64, into appender: some Appender
    ) throws(ExpositionError) -> Report {
        var parser = ExpositionParser(bytes: body, format: format)
        var report = Report()
        while let entry = try parser.next() {
            guard entry == .sample else { continue }
            report.samples += 1
            let t = parser.timestamp ?? timestampMs
            let v = parser.value
            let seriesText = parser.series
            let (hash, cached) = body.withUnsafeBufferPointer { buf in
                let hash = fastHash(buf, seriesText)
                return (hash, cache.lookup(buf, seriesText, hash: hash))
            }
            let labels = cached == nil ? try makeLabels(parser) : nil
            do throws(AppendError) {
                if let series = cached {
                    try appender.append(series, t, v)
                } else if let labels {
                    let series = try appender.append(labels, t, v)
                    body.withUnsafeBufferPointer { cache.insert($0, seriesText, hash: hash, series: series) }
                    report.seriesAdded += 1
                }
                report.appended += 1
            } catch {
                report.rejected += 1
                if report.firstRejection == nil { report.firstRejection = error.description }
            }
        }
        return report
    }

    private func makeLabels(_ parser: ExpositionParser) throws(ExpositionError) -> Labels {
        var pairs = [Label("__name__", parser.metricNameString)]
        pairs.reserveCapacity(parser.labels.count + targetLabels.count + 1)
        for i in parser.labels.indices where !targetLabels.contains(where: { $0.name == parser.labelName(i) }) {
            pairs.append(Label(parser.labelName(i), parser.labelValue(i)))
        }
        pairs.append(contentsOf: targetLabels)
        do {
            return try Labels(pairs)
        } catch {
            throw ExpositionError(line: parser.entryLine, column: 1, message: "series \(parser.string(parser.series)): \(error)")
        }
    }
}
