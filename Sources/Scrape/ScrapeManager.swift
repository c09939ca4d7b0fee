import Logging
import Synchronization
import TSDB

/// All scrape pools, one per job, and their discovery. `apply` takes a new set of scrape
/// configs (start-up and every reload): unchanged jobs keep running untouched, changed jobs
/// restart, removed jobs stop with stale markers.
public final class ScrapeManager: Sendable {
    let storage: Storage
    let scraper: HTTPScraper
    let logger: Logger
    let seed: UInt64
    let state = Mutex(ManagerState())

    struct ManagerState: Sendable {
        var pools: [String: ScrapePool] = [:]
        var discovery: [String: Task<Void, Never>] = [:]
        var order: [String] = []
    }

    /// `seed` spreads this instance's scrape slots differently from another's (Prometheus uses
    /// the hostname and external labels).
    public init(storage: Storage, scraper: HTTPScraper = HTTPScraper(), logger: Logger, seed: UInt64 = 0) {
        self.storage = storage
        self.scraper = scraper
        self.logger = logger
        self.seed = seed
    }

    public func apply(_ configs: [ScrapeConfig]) async {
        let (added, removed) = state.withLock { s -> ([ScrapePool], [(ScrapePool, Task<Void, Never>?)]) in
            var removed: [(ScrapePool, Task<Void, Never>?)] = []
            var added: [ScrapePool] = []
            let wanted = Dictionary(configs.map { ($0.jobName, $0) }, uniquingKeysWith: { a, _ in a })
            for (job, pool) in s.pools where wanted[job] != pool.config {
                removed.append((pool, s.discovery[job]))
                s.pools[job] = nil
                s.discovery[job] = nil
            }
            for config in configs where s.pools[config.jobName] == nil {
                let pool = ScrapePool(config: config, storage: storage, scraper: scraper, logger: logger, seed: seed)
                s.pools[config.jobName] = pool
                added.append(pool)
            }
            s.order = configs.map(\.jobName)
            return (added, removed)
        }
        for (pool, discovery) in removed {
            discovery?.cancel()
            await pool.stop(markStale: true)
        }
        for pool in added {
            await pool.sync(pool.config.staticConfigs, fromFiles: false)
            guard !pool.config.fileSDConfigs.isEmpty else { continue }
            let discovery = FileDiscovery(configs: pool.config.fileSDConfigs, logger: logger)
            let task = Task { await discovery.run { groups in await pool.sync(groups, fromFiles: true) } }
            state.withLock { $0.discovery[pool.config.jobName] = task }
        }
    }

    /// Stops everything without stale markers (shutdown), and the HTTP client.
    public func shutdown() async {
        let (pools, tasks) = state.withLock { s in
            defer {
                s.pools = [:]
                s.discovery = [:]
            }
            return (Array(s.pools.values), Array(s.discovery.values))
        }
        for t in tasks { t.cancel() }
        for pool in pools { await pool.stop(markStale: false) }
        do { try await scraper.shutdown() } catch { logger.warning("http client shutdown: \(error)") }
    }

    /// The pools in config order.
    public var pools: [ScrapePool] {
        state.withLock { s in s.order.compactMap { s.pools[$0] } }
    }
}
