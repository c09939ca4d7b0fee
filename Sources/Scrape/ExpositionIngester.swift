import Exposition
import TSDB

/// Appends the samples of one target's scrape to storage with Prometheus's scrape semantics:
/// target labels (with `honor_labels`), `metric_relabel_configs`, limits, `honor_timestamps`,
/// and staleness markers for series that vanish. Series are found through the target's
/// `SeriesCache`, so a steady-state scrape parses no labels and allocates nothing per sample.
public struct ExpositionIngester: Sendable {
    public private(set) var cache = SeriesCache()
    /// TYPE, HELP and UNIT per family, as the target last exposed them.
    public private(set) var metadata = TargetMetadata()
    /// Labels added to every series of the target (no `__` labels), sorted by name.
    public let targetLabels: [Label]
    public let rules: ScrapeRules
    private var attempt: UInt64 = 0
    private var iteration: UInt64 = 0
    /// The last successful scrape; 0 when there is none whose series are still live.
    private var lastSuccessful: UInt64 = 0

    public init(targetLabels: [Label] = [], rules: ScrapeRules = ScrapeRules()) {
        self.targetLabels = targetLabels.sorted()
        self.rules = rules
    }

    /// What one ingest did; the figures of the `scrape_*` series.
    public struct Report: Sendable, Equatable {
        /// Samples in the body (`scrape_samples_scraped`).
        public var samples = 0
        /// Samples left after metric relabeling (`scrape_samples_post_metric_relabeling`).
        public var postRelabel = 0
        /// Samples the store accepted.
        public var appended = 0
        /// Lines new to the target's cache (`scrape_series_added`).
        public var seriesAdded = 0
        /// Samples the store rejected (out of order, duplicate, too old), with the first reason.
        public var rejected = 0
        public var firstRejection: String? = nil
        /// Stale markers written for series that vanished.
        public var staleMarkers = 0
    }

    /// A failed ingest: why, and what was counted before (or, for the sample limit, in total).
    public struct Failure: Error, Sendable {
        public let error: IngestError
        public let report: Report
    }

    /// `ingest` specialised for the store's own appender (what scrape loops and benchmarks pass),
    /// so callers in other modules do not go through the protocol per sample.
    public mutating func ingest(
        _ body: [UInt8], format: ExpositionFormat, timestampMs: Int64, into appender: HeadAppender
    ) throws(Failure) -> Report {
        try ingestBody(body, format: format, timestampMs: timestampMs, into: appender)
    }

    /// Parses `body` and appends every sample through `appender`, then stale markers for series
    /// the previous successful scrape had and this one lacks. Nothing is committed: the caller
    /// commits, or on a thrown `Failure` rolls back and calls `markAllStale`.
    public mutating func ingest(
        _ body: [UInt8], format: ExpositionFormat, timestampMs: Int64, into appender: some Appender
    ) throws(Failure) -> Report {
        try ingestBody(body, format: format, timestampMs: timestampMs, into: appender)
    }

    @inline(__always)
    private mutating func ingestBody<A: Appender>(
        _ body: [UInt8], format: ExpositionFormat, timestampMs: Int64, into appender: A
    ) throws(Failure) -> Report {
        attempt &+= 1
        var parser = ExpositionParser(bytes: body, format: format)
        var report = Report()
        var limitHit = false
        let sampleLimit = rules.limits.sampleLimit
        while true {
            let entry: ExpositionEntry?
            do { entry = try parser.next() } catch {
                throw Failure(error: .parse(ExpositionErrorText(text: error.description)), report: report)
            }
            guard let entry else { break }
            guard entry == .sample else {
                if entry == .help || entry == .type || entry == .unit { metadata.observe(parser, entry) }
                continue
            }
            report.samples += 1
            let explicit = rules.honorTimestamps ? parser.timestamp : nil
            let t = explicit ?? timestampMs
            let v = parser.value
            let seriesText = parser.series
            let hash = body.withUnsafeBufferPointer { fastHash($0, seriesText) }
            var index = body.withUnsafeBufferPointer { cache.find($0, seriesText, hash: hash) }
            if index == nil {
                let labels: Labels?
                do throws(IngestError) { labels = try makeLabels(parser) } catch { throw Failure(error: error, report: report) }
                index = body.withUnsafeBufferPointer { buf in
                    cache.insert(buf, seriesText, hash: hash, series: labels.map { appender.series(for: $0) })
                }
                if labels != nil { report.seriesAdded += 1 }
            }
            let i = index!
            cache.markSeen(i, attempt: attempt, tracksStaleness: explicit == nil)
            guard let series = cache[i].series else { continue }
            report.postRelabel += 1
            if sampleLimit > 0 && report.postRelabel > sampleLimit {
                // Keep parsing so the scraped total is right, as Prometheus does.
                limitHit = true
                continue
            }
            do throws(AppendError) {
                try appender.append(series, t, v)
                report.appended += 1
            } catch {
                report.rejected += 1
                if report.firstRejection == nil { report.firstRejection = error.description }
            }
        }
        if limitHit { throw Failure(error: .sampleLimit(limit: sampleLimit), report: report) }
        iteration &+= 1
        let previous = lastSuccessful
        var stale: [MemSeries] = []
        cache.finishSuccessfulScrape(attempt: attempt, iteration: iteration, previous: previous) { stale.append($0) }
        report.staleMarkers = appendStale(stale, at: timestampMs, into: appender)
        lastSuccessful = iteration
        return report
    }

    /// After a failed scrape or when the target goes away: a stale marker for every series the
    /// last successful scrape saw. Returns how many were written.
    @discardableResult
    public mutating func markAllStale(at timestampMs: Int64, into appender: some Appender) -> Int {
        var stale: [MemSeries] = []
        cache.forEachSeen(in: lastSuccessful) { stale.append($0) }
        lastSuccessful = 0
        return appendStale(stale, at: timestampMs, into: appender)
    }

    private func appendStale(_ series: [MemSeries], at t: Int64, into appender: some Appender) -> Int {
        var written = 0
        for s in series {
            do throws(AppendError) {
                try appender.append(s, t, StalenessMarker.value)
                written += 1
            } catch {
                // A series already written at or after `t` needs no marker.
            }
        }
        return written
    }

    /// The series labels of the current line, or nil when metric relabeling drops it.
    private func makeLabels(_ parser: ExpositionParser) throws(IngestError) -> Labels? {
        var exposed: [String: String] = ["__name__": parser.metricNameString]
        for i in parser.labels.indices {
            let value = parser.labelValue(i)
            if !value.isEmpty { exposed[parser.labelName(i)] = value }
        }
        var merged = SampleLabels.merge(exposed: exposed, target: targetLabels, honor: rules.honorLabels)
        if !rules.metricRelabelConfigs.isEmpty {
            guard let relabeled = Relabeler.process(merged, rules.metricRelabelConfigs) else { return nil }
            merged = relabeled
        }
        merged = merged.filter { !$0.value.isEmpty }
        if merged.isEmpty { return nil }
        guard merged["__name__"] != nil else { throw .missingMetricName(series: parser.string(parser.series)) }
        if let problem = SampleLabels.limitProblem(merged, rules.limits) { throw .labelLimit(problem) }
        return Labels(merged)
    }
}
