import Logging
import Synchronization
import TSDB

/// The scrape loops of one job. `sync` receives every target group the job's discovery found
/// and starts loops for new targets and stops (with stale markers) those that went away.
public final class ScrapePool: Sendable {
    public let config: ScrapeConfig
    let storage: Storage
    let scraper: HTTPScraper
    let logger: Logger
    let seed: UInt64
    let state = Mutex(PoolState())

    struct PoolState: Sendable {
        var staticGroups: [TargetGroup] = []
        var fileGroups: [TargetGroup] = []
        var loops: [String: ScrapeLoop] = [:]
        var dropped: [DroppedTarget] = []
        var stopped = false
    }

    /// A discovered target that relabeling dropped or that cannot be scraped.
    public struct DroppedTarget: Sendable, Equatable {
        public let discoveredLabels: [String: String]
        /// Empty when relabeling dropped it; otherwise why it cannot be scraped.
        public let reason: String
    }

    public init(config: ScrapeConfig, storage: Storage, scraper: HTTPScraper, logger: Logger, seed: UInt64) {
        self.config = config
        self.storage = storage
        self.scraper = scraper
        self.logger = logger
        self.seed = seed
    }

    /// Replaces the groups from static configs (`fromFiles: false`) or from file_sd.
    public func sync(_ groups: [TargetGroup], fromFiles: Bool) async {
        let all = state.withLock { s -> [TargetGroup]? in
            guard !s.stopped else { return nil }
            if fromFiles { s.fileGroups = groups } else { s.staticGroups = groups }
            return s.staticGroups + s.fileGroups
        }
        guard let all else { return }
        var wanted: [String: ScrapeTarget] = [:]
        var dropped: [DroppedTarget] = []
        for group in all {
            for address in group.targets {
                do {
                    if let target = try TargetBuilder.build(address: address, group: group, config: config) {
                        wanted[Self.key(target)] = target
                    } else {
                        var labels = group.labels
                        labels["__address__"] = address
                        dropped.append(DroppedTarget(discoveredLabels: labels, reason: ""))
                    }
                } catch {
                    var labels = group.labels
                    labels["__address__"] = address
                    dropped.append(DroppedTarget(discoveredLabels: labels, reason: error.message))
                    logger.warning("target dropped", metadata: ["job": "\(config.jobName)", "address": "\(address)", "error": "\(error)"])
                }
            }
        }
        let (started, removed) = state.withLock { s -> ([ScrapeLoop], [ScrapeLoop]) in
            guard !s.stopped else { return ([], []) }
            s.dropped = dropped
            var started: [ScrapeLoop] = []
            var removed: [ScrapeLoop] = []
            for (key, loop) in s.loops where wanted[key] == nil {
                removed.append(loop)
                s.loops[key] = nil
            }
            for (key, target) in wanted where s.loops[key] == nil {
                let loop = ScrapeLoop(target: target, config: config, storage: storage, scraper: scraper, logger: logger)
                s.loops[key] = loop
                started.append(loop)
            }
            return (started, removed)
        }
        for loop in started { loop.start(seed: seed) }
        for loop in removed { await loop.stop(markStale: true) }
    }

    /// Stops every loop; `markStale` for a removed job (reload), not for shutdown, as in Prometheus.
    public func stop(markStale: Bool) async {
        let loops = state.withLock { s -> [ScrapeLoop] in
            s.stopped = true
            defer { s.loops = [:] }
            return Array(s.loops.values)
        }
        await withTaskGroup(of: Void.self) { group in
            for loop in loops { group.addTask { await loop.stop(markStale: markStale) } }
        }
    }

    public var activeTargets: [ScrapeLoop] {
        state.withLock { Array($0.loops.values) }.sorted { $0.target.url < $1.target.url }
    }

    public var droppedTargets: [DroppedTarget] { state.withLock { $0.dropped } }

    static func key(_ t: ScrapeTarget) -> String {
        t.url + "\u{0}" + t.labels.map { "\($0.name)=\($0.value)" }.joined(separator: "\u{0}")
    }
}
