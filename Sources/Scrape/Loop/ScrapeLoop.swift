#if canImport(Glibc)
import Glibc
#endif
import Logging
import Metrics
import Synchronization
import TSDB

/// Scrapes one target every interval, from its own slot in the interval, until stopped.
/// Each scrape is one appender batch: committed whole, or rolled back whole with stale
/// markers for what the last good scrape had. Stopping marks everything stale.
public final class ScrapeLoop: Sendable {
    public let target: ScrapeTarget
    let config: ScrapeConfig
    let storage: Storage
    let scraper: HTTPScraper
    let logger: Logger
    let state: Mutex<LoopState>
    public let health: Mutex<TargetHealth> = Mutex(TargetHealth())

    struct LoopState: Sendable {
        var ingester: ExpositionIngester
        var report: ReportSeries? = nil
        var lastScrapeMs: Int64 = 0
        var task: Task<Void, Never>? = nil
        var stopped = false
    }

    public init(target: ScrapeTarget, config: ScrapeConfig, storage: Storage, scraper: HTTPScraper, logger: Logger) {
        self.target = target
        self.config = config
        self.storage = storage
        self.scraper = scraper
        self.logger = logger
        state = Mutex(LoopState(ingester: ExpositionIngester(targetLabels: target.labels, rules: ScrapeRules(config))))
    }

    /// TYPE, HELP and UNIT per family, as the target last exposed them.
    public var metadata: [String: TargetMetadata.Entry] { state.withLock { $0.ingester.metadata.families } }

    /// Bytes of this target's series cache.
    public var cacheBytes: Int { state.withLock { $0.ingester.cache.memoryBytes } }

    /// Starts scraping after the target's offset in the interval.
    public func start(seed: UInt64) {
        let task = Task { [self] in
            let offset = target.offsetMs(now: wallClockMilliseconds(), seed: seed)
            do { try await Task.sleep(for: .milliseconds(offset)) } catch { return }
            let clock = ContinuousClock()
            var next = clock.now
            while !Task.isCancelled {
                await scrapeOnce()
                next = next.advanced(by: .milliseconds(target.intervalMs))
                // A scrape that overran its slot does not queue up: skip to the next slot.
                while next < clock.now { next = next.advanced(by: .milliseconds(target.intervalMs)) }
                do { try await Task.sleep(until: next, clock: clock) } catch { return }
            }
        }
        state.withLock { $0.task = task }
    }

    /// Stops the loop; with `markStale`, the target's series and report series get stale
    /// markers (a removed target), without (shutdown) a restart continues them.
    public func stop(markStale: Bool) async {
        let task = state.withLock { s -> Task<Void, Never>? in
            s.stopped = true
            return s.task
        }
        task?.cancel()
        await task?.value
        guard markStale else { return }
        let app = storage.appender()
        let t = max(wallClockMilliseconds(), state.withLock { $0.lastScrapeMs } + 1)
        state.withLock { s in
            s.ingester.markAllStale(at: t, into: app)
            s.report?.append(Array(repeating: StalenessMarker.value, count: ReportSeries.names.count), at: t, into: app)
        }
        app.commit()
    }

    /// One scrape at the current wall-clock time.
    public func scrapeOnce() async {
        let start = wallClockMilliseconds()
        let clock = ContinuousClock()
        let began = clock.now
        var failure: ScrapeFailure? = nil
        var body: HTTPScraper.Body? = nil
        do { body = try await scraper.scrape(target, config) } catch { failure = error }
        let elapsed = clock.now - began
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let app = storage.appender()
        let report: ExpositionIngester.Report = state.withLock { s in
            if s.report == nil { s.report = ReportSeries(target: target.labels, appender: app) }
            s.lastScrapeMs = start
            var report = ExpositionIngester.Report()
            if let body, failure == nil {
                do throws(ExpositionIngester.Failure) {
                    report = try s.ingester.ingest(body.bytes, format: body.format, timestampMs: start, into: app)
                } catch {
                    app.rollback()
                    failure = .ingest(error.error)
                    report = error.report
                }
            }
            if failure != nil { s.ingester.markAllStale(at: start, into: app) }
            s.report?.append([
                failure == nil ? 1 : 0, seconds, Double(report.samples), Double(report.postRelabel), Double(report.seriesAdded),
            ], at: start, into: app)
            return report
        }
        app.commit()
        health.withLock { h in
            h.state = failure == nil ? .up : .down
            h.lastError = failure?.description ?? ""
            h.lastScrapeMs = start
            h.lastScrapeDurationSeconds = seconds
            h.lastSamples = report.samples
        }
        let job = config.jobName
        Metrics.Timer(label: "scalewatch_scrape_duration_seconds", dimensions: [("job", job)]).recordNanoseconds(Int64(seconds * 1e9))
        if let failure {
            Counter(label: "scalewatch_scrape_failures_total", dimensions: [("job", job)]).increment()
            logger.debug("scrape failed", metadata: ["job": "\(job)", "target": "\(target.url)", "error": "\(failure)"])
        }
        if let rejection = report.firstRejection {
            logger.debug("samples rejected", metadata: ["target": "\(target.url)", "count": "\(report.rejected)", "first": "\(rejection)"])
        }
    }
}

/// Milliseconds since the Unix epoch.
public func wallClockMilliseconds() -> Int64 {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
}
