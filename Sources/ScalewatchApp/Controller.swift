import Foundation
import Autoscale
import ConfigSupport
import Logging
import Notify
import Prometheus
import Remote
import Rules
import Scrape
import Server
import ServiceLifecycle
import Synchronization
import TSDB
import UnixSignals

/// The running system behind one config file: opens the store (replaying the WAL), scrapes,
/// keeps the store tidy, reloads on SIGHUP and `POST /-/reload`, and on SIGTERM stops
/// scraping, flushes the WAL and writes a snapshot before returning.
public final class Controller: Service, Sendable {
    public let configPath: String?
    let logger: Logger
    let registry: PrometheusCollectorRegistry
    let state: Mutex<State>
    /// Called once the store is open and scraping has started (the demo's status line, tests).
    let onReady: @Sendable (Controller) async -> Void
    let actuator: (any Actuator)?
    let onDecision: @Sendable (AutoscaleService.Latest) -> Void
    let onAction: @Sendable (String) -> Void

    struct State: Sendable {
        var config: ScalewatchConfig
        var storage: Storage? = nil
        var metrics: SelfMetrics? = nil
        var manager: ScrapeManager? = nil
        var remoteWrites: [RemoteWriteQueue] = []
        var rules: RuleManager? = nil
        var autoscale: AutoscaleService? = nil
        var notifier: Notifier? = nil
        var notifierTask: Task<Void, Never>? = nil
        var webhooks: WebhookDispatcher? = nil
        var webhooksTask: Task<Void, Never>? = nil
        var notifyOptions = Notifier.Options()
        var lastConfigTimeMs = wallClockMilliseconds()
        var reloadSucceeded = true
    }
    let startTimeMs = wallClockMilliseconds()

    public init(config: ScalewatchConfig, configPath: String?, registry: PrometheusCollectorRegistry, logger: Logger,
                actuator: (any Actuator)? = nil, onDecision: @escaping @Sendable (AutoscaleService.Latest) -> Void = { _ in },
                onAction: @escaping @Sendable (String) -> Void = { _ in },
                onReady: @escaping @Sendable (Controller) async -> Void = { _ in }) {
        self.actuator = actuator
        self.onDecision = onDecision
        self.onAction = onAction
        self.configPath = configPath
        self.logger = logger
        self.registry = registry
        self.onReady = onReady
        state = Mutex(State(config: config))
    }

    public var config: ScalewatchConfig { state.withLock { $0.config } }
    public var storage: Storage? { state.withLock { $0.storage } }
    public var scrapePools: [ScrapePool] { state.withLock { $0.manager }?.pools ?? [] }
    /// The rule groups and their alerts.
    public var ruleGroups: [GroupState] { state.withLock { $0.rules }?.snapshot ?? [] }

    /// The routes' view of this controller.
    public var serverContext: ServerContext {
        ServerContext(
            storage: { [self] in storage },
            metrics: { [self] in state.withLock { $0.metrics } },
            scrapePools: { [self] in scrapePools },
            externalLabels: { [self] in config.global.externalLabels },
            reload: { [self] in await reload() },
            now: { wallClockMilliseconds() },
            status: { [self] in status },
            rules: { [self] in ruleGroups },
            recommendations: { [self] in state.withLock { $0.autoscale }?.allRecommendations ?? [] })
    }

    /// What `/api/v1/status/*` reports.
    var status: ServerStatus {
        state.withLock { s in
            var out = ServerStatus()
            out.configYAML = s.config.sourceText
            out.startTimeMs = startTimeMs
            out.lastConfigTimeMs = s.lastConfigTimeMs
            out.reloadConfigSuccess = s.reloadSucceeded
            out.storageRetention = ConfigDuration(milliseconds: s.config.storage.options.retentionMs).description
            out.flags = ["config.file": configPath ?? "", "storage.tsdb.path": s.config.storage.path,
                         "storage.tsdb.retention.time": out.storageRetention, "web.listen-address": s.config.web.listenAddress,
                         "query.lookback-delta": "5m", "query.max-samples": "50000000", "query.timeout": "2m"]
            return out
        }
    }

    public func run() async throws {
        let config = self.config
        let clock = ContinuousClock()
        let began = clock.now
        let storage = try Storage(options: config.storage.options, logger: logger)
        let stats = storage.restoreStats
        logger.info("store open", metadata: [
            "path": "\(config.storage.path)", "series": "\(stats.seriesFromSnapshot + stats.seriesFromWAL)",
            "wal_samples": "\(stats.samplesFromWAL)", "took": "\(clock.now - began)",
        ])
        let manager = ScrapeManager(storage: storage, logger: logger, seed: Self.seed(config))
        state.withLock { s in
            s.storage = storage
            s.metrics = SelfMetrics(registry: registry, storage: storage, scrapeCacheBytes: {
                manager.pools.reduce(0) { total, pool in pool.activeTargets.reduce(total) { $0 + $1.cacheBytes } }
            })
            s.manager = manager
        }
        storage.addCommitObserver { [self] batch in
            for queue in state.withLock({ $0.remoteWrites }) { queue.enqueue(batch) }
        }
        await applyRemoteWrite(config)
        await manager.apply(config.scrapeConfigs)
        await applyAlerting(config)
        let rules = RuleManager(storage: storage, logger: logger, now: { wallClockMilliseconds() }) { [self] alerts in
            let (notifier, webhooks, options) = state.withLock { ($0.notifier, $0.webhooks, $0.notifyOptions) }
            notifier?.send(alerts)
            webhooks?.receive(Notifier.prepare(alerts, options))
        }
        state.withLock { $0.rules = rules }
        do { try rules.apply(Self.ruleSettings(config)) } catch {
            logger.error("rule files rejected; no rules run until a reload fixes them", metadata: ["issues": "\(error)"])
        }
        let autoscale = AutoscaleService(config: config.autoscaling, storage: storage, actuator: actuator, logger: logger,
                                         now: { wallClockMilliseconds() }, onDecision: onDecision, onAction: onAction)
        state.withLock { $0.autoscale = autoscale }
        await onReady(self)
        let housekeeping = StorageHousekeeping(storage: storage, logger: logger, now: { wallClockMilliseconds() })
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await housekeeping.run() }
            group.addTask { await autoscale.run() }
            group.addTask { [self] in
                for await _ in await UnixSignalsSequence(trapping: .sighup) {
                    if let problem = await reload() { logger.error("reload rejected: \(problem)") }
                }
            }
            do { try await gracefulShutdown() } catch { logger.debug("shutdown wait ended: \(error)") }
            group.cancelAll()
        }
        await manager.shutdown()
        rules.stop()
        await applyAlerting(nil)
        for queue in state.withLock({ s in
            defer { s.remoteWrites = [] }
            return s.remoteWrites
        }) { await queue.stop() }
        try storage.close()
        logger.info("stopped: WAL flushed and snapshot written")
    }

    /// Re-reads the config file; a bad file is rejected and the running config kept. Scrape jobs
    /// restart only where they changed; stored data is untouched.
    public func reload() async -> String? {
        guard let path = configPath else { return "no config file to reload (running on the embedded config)" }
        var fresh: ScalewatchConfig
        do {
            fresh = try ScalewatchConfig.load(path: path)
            // Flags are not in the file: they stay as the process started.
            fresh.resendDelayMs = config.resendDelayMs
        } catch {
            logger.error("reload: config rejected, the previous one keeps running", metadata: ["issues": "\(error)"])
            state.withLock { $0.reloadSucceeded = false }
            return error.description
        }
        // Rule files are part of the config: a bad one rejects the whole reload.
        do { _ = try RuleManager.load(Self.ruleSettings(fresh).files) } catch {
            logger.error("reload: rule files rejected, the previous config keeps running", metadata: ["issues": "\(error)"])
            state.withLock { $0.reloadSucceeded = false }
            return error.description
        }
        let (old, manager) = state.withLock { s in
            defer {
                s.config = fresh
                s.reloadSucceeded = true
                s.lastConfigTimeMs = wallClockMilliseconds()
            }
            return (s.config, s.manager)
        }
        if fresh.storage != old.storage { logger.warning("reload: storage settings take effect at the next start") }
        await manager?.apply(fresh.scrapeConfigs)
        if fresh.alerting != old.alerting || fresh.alertRelabelConfigs != old.alertRelabelConfigs
            || fresh.global.externalLabels != old.global.externalLabels { await applyAlerting(fresh) }
        do { try state.withLock({ $0.rules })?.apply(Self.ruleSettings(fresh)) } catch {
            logger.error("reload: rule files changed while reloading", metadata: ["issues": "\(error)"])
        }
        if fresh.remoteWrite != old.remoteWrite || fresh.global.externalLabels != old.global.externalLabels { await applyRemoteWrite(fresh) }
        if fresh.autoscaling != old.autoscaling { state.withLock { $0.autoscale }?.apply(fresh.autoscaling) }
        logger.info("config reloaded", metadata: ["jobs": "\(fresh.scrapeConfigs.count)"])
        return nil
    }

    /// Replaces the remote-write queues with those of `config` (old ones flush and stop).
    func applyRemoteWrite(_ config: ScalewatchConfig) async {
        let fresh = config.remoteWrite.map { RemoteWriteQueue(config: $0, externalLabels: config.global.externalLabels, logger: logger) }
        for q in fresh { q.start() }
        let old = state.withLock { s in
            defer { s.remoteWrites = fresh }
            return s.remoteWrites
        }
        for q in old { await q.stop() }
    }

    /// Replaces the notifier with one for `config`'s Alertmanagers (none for nil or an empty list);
    /// the old one sends what it has queued and stops.
    func applyAlerting(_ config: ScalewatchConfig?) async {
        var fresh: Notifier? = nil, hooks: WebhookDispatcher? = nil
        var task: Task<Void, Never>? = nil, hooksTask: Task<Void, Never>? = nil
        var options = Notifier.Options()
        if let config {
            options.externalLabels = config.global.externalLabels
            let relabel = config.alertRelabelConfigs
            if !relabel.isEmpty { options.relabel = { Relabeler.process($0, relabel) } }
        }
        if let config, !config.alerting.alertmanagers.isEmpty {
            let notifier = Notifier(alertmanagers: config.alerting.alertmanagers, options: options, logger: logger)
            fresh = notifier
            task = Task { await notifier.run() }
            logger.info("sending alerts", metadata: ["alertmanagers": "\(notifier.urls)"])
        }
        if let config, !config.alerting.webhooks.isEmpty {
            let dispatcher = WebhookDispatcher(webhooks: config.alerting.webhooks, externalURL: Self.ruleSettings(config).externalURL,
                                               logger: logger, now: { wallClockMilliseconds() })
            hooks = dispatcher
            hooksTask = Task { await dispatcher.run() }
            logger.info("sending alerts", metadata: ["webhooks": "\(config.alerting.webhooks.map(\.url))"])
        }
        let (old, oldTask, oldHooks, oldHooksTask) = state.withLock { s in
            defer { (s.notifier, s.notifierTask, s.webhooks, s.webhooksTask, s.notifyOptions) = (fresh, task, hooks, hooksTask, options) }
            return (s.notifier, s.notifierTask, s.webhooks, s.webhooksTask)
        }
        if let old {
            old.finish()
            await oldTask?.value
            await old.shutdown()
        }
        if let oldHooks {
            oldHooksTask?.cancel()
            await oldHooksTask?.value
            await oldHooks.shutdown()
        }
    }

    /// The rule manager's settings from a config: globs expanded (each file's directory resolved).
    static func ruleSettings(_ config: ScalewatchConfig) -> RuleManager.Settings {
        var s = RuleManager.Settings()
        s.files = RuleFile.expand(config.ruleFiles, relativeTo: FileManager.default.currentDirectoryPath)
        s.evaluationIntervalMs = config.global.evaluationInterval.milliseconds
        s.resendDelayMs = config.resendDelayMs
        s.externalLabels = config.global.externalLabels
        s.externalURL = config.web.externalURL ?? "http://\(config.web.listenAddress)"
        return s
    }

    static func seed(_ config: ScalewatchConfig) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for (k, v) in config.global.externalLabels.sorted(by: { $0.key < $1.key }) {
            for b in (k + "=" + v).utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
        }
        return h
    }
}
