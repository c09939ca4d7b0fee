import ConfigSupport
import Logging
import Notify
import Metrics
import PromQL
import Synchronization
import TSDB

/// Runs the rule groups of the configured rule files: each group on its own task at its
/// interval, spread over the interval by a hash of its file and name, as Prometheus spreads
/// them. A reload keeps the alerts of unchanged rules; a start restores `for` state from the
/// stored ALERTS_FOR_STATE series, so a restart never sends a firing alert back to pending.
public final class RuleManager: Sendable {
    /// The settings a reload may change.
    public struct Settings: Sendable {
        public var files: [String] = []
        public var evaluationIntervalMs: Int64 = 60_000
        public var queryOffsetMs: Int64 = 0
        public var externalLabels: [String: String] = [:]
        public var externalURL = ""
        public var resendDelayMs: Int64 = 60_000
        public init() {}
    }

    struct Running: Sendable {
        var state: GroupState
        var task: Task<Void, Never>?
        var generation: Int
    }

    private let storage: Storage
    private let logger: Logger
    private let now: @Sendable () -> Int64
    private let groups = Mutex<[String: Running]>([:])
    private let generation = Atomic<Int>(0)
    /// Receives the alerts due after each alerting rule's evaluation (the notifier).
    private let notify: @Sendable ([NotifierAlert]) -> Void

    public init(storage: Storage, logger: Logger, now: @escaping @Sendable () -> Int64,
                notify: @escaping @Sendable ([NotifierAlert]) -> Void = { _ in }) {
        self.storage = storage
        self.logger = logger
        self.now = now
        self.notify = notify
    }

    /// The groups and their rules' state, sorted by file and name (for the API).
    public var snapshot: [GroupState] {
        groups.withLock { $0.values.map(\.state) }.sorted { ($0.group.file, $0.group.name) < ($1.group.file, $1.group.name) }
    }

    /// Loads the rule files and (re)starts the groups; a file with problems is rejected as a
    /// whole and the running groups stay.
    public func apply(_ settings: Settings) throws(ConfigError) {
        let loaded = try Self.load(settings.files)
        let gen = generation.add(1, ordering: .relaxed).newValue
        var context = RuleContext(storage: storage)
        context.queryOffsetMs = settings.queryOffsetMs
        context.externalLabels = settings.externalLabels
        context.externalURL = settings.externalURL
        context.evaluationIntervalMs = settings.evaluationIntervalMs
        context.resendDelayMs = settings.resendDelayMs
        context.notify = notify
        context.onFailure = { group, rule, error in
            Counter(label: "scalewatch_rule_evaluation_failures_total", dimensions: [("rule_group", group.name)]).increment()
            self.logger.warning("rule evaluation failed", metadata: ["group": "\(group.name)", "rule": "\(rule.name)", "error": "\(error)"])
        }
        let old = groups.withLock { g in
            defer { g = [:] }
            return g
        }
        for (_, running) in old { running.task?.cancel() }
        var fresh: [String: Running] = [:]
        for group in loaded {
            let key = group.file + "\u{1}" + group.name
            var state = GroupState(group: group)
            let restoring = old[key] == nil
            if let previous = old[key] { state.inherit(from: previous.state) }
            if restoring { state.setRestored(false) }
            fresh[key] = Running(state: state, task: nil, generation: gen)
        }
        groups.withLock { $0 = fresh }
        for (key, running) in fresh {
            let interval = running.state.group.intervalMs ?? settings.evaluationIntervalMs
            let task = Task { [self] in await self.loop(key: key, interval: interval, generation: gen, context: context) }
            groups.withLock { $0[key]?.task = task }
        }
        for (key, running) in old where fresh[key] == nil { running.task?.cancel() }
    }

    /// The groups of `files`, or every problem of every file.
    public static func load(_ files: [String]) throws(ConfigError) -> [RuleGroup] {
        var loaded: [RuleGroup] = []
        var issues: [ConfigIssue] = []
        for file in files {
            do { loaded += try RuleFile.load(path: file).groups } catch { issues += error.issues }
        }
        if !issues.isEmpty { throw ConfigError(issues: issues) }
        return loaded
    }

    /// Stops every group.
    public func stop() {
        let old = groups.withLock { g in
            defer { g = [:] }
            return g
        }
        for (_, running) in old { running.task?.cancel() }
    }

    private func loop(key: String, interval: Int64, generation gen: Int, context: RuleContext) async {
        let offset = Int64(XXHash64.hash(Array(key.utf8)) % UInt64(max(1, interval)))
        while !Task.isCancelled {
            let current = now()
            var next = (current - offset) / interval * interval + offset
            if next <= current { next += interval }
            do { try await Task.sleep(for: .milliseconds(next - current)) } catch { return }
            guard var state = groups.withLock({ $0[key]?.generation == gen ? $0[key]?.state : nil }) else { return }
            state.evaluate(at: next, context: context)
            if state.alerting.values.contains(where: { !$0.restored }) {
                restoreForState(&state, at: next)
            }
            let evaluated = state
            let stillCurrent = groups.withLock { g -> Bool in
                guard g[key]?.generation == gen else { return false }
                g[key]?.state = evaluated
                return true
            }
            if !stillCurrent { return }
        }
    }

    /// Prometheus's `RestoreForState`: pending alerts of rules with `for` take their active-since
    /// time from the last ALERTS_FOR_STATE sample within the outage tolerance (1 h).
    func restoreForState(_ state: inout GroupState, at t: Int64) {
        let querier = storage.querier()
        for (i, rule) in state.alerting.sorted(by: { $0.key < $1.key }) where rule.rule.forMs > 0 {
            for (key, alert) in rule.active where alert.state == .pending {
                var matchers = alert.labels.map { LabelMatcher.equal($0.key, $0.value) }
                matchers.append(.equal("__name__", "ALERTS_FOR_STATE"))
                for series in querier.select(matchers, minTime: t - 3_600_000, maxTime: t - 1) where series.labels.count == matchers.count {
                    guard let last = series.samples().last(where: { !StalenessMarker.isStale($0.v) }) else { continue }
                    state.restoreForState(i, key: key, storedActiveAtMs: Int64(last.v * 1000), lastSeenMs: last.t, at: t)
                }
            }
        }
        state.setRestored(true)
    }
}
