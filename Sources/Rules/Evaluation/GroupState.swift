import Notify
import PromQL
import TSDB

/// A rule group with the state of its rules, evaluated one tick at a time: each rule sees what
/// the rules before it wrote, results are written through the store's appender, and series a
/// rule stops producing get a staleness marker.
public struct GroupState: Sendable {
    public let group: RuleGroup
    public private(set) var alerting: [Int: AlertingRuleState] = [:]
    public private(set) var health: [RuleHealth]
    public private(set) var lastEvaluationMs: Int64 = 0
    public private(set) var evaluationSeconds = 0.0
    /// The series each rule wrote last time (to mark the vanished ones stale).
    private var written: [Set<Labels>]

    public init(group: RuleGroup) {
        self.group = group
        health = Array(repeating: RuleHealth(), count: group.rules.count)
        written = Array(repeating: [], count: group.rules.count)
        for (i, rule) in group.rules.enumerated() {
            if case .alerting(let a) = rule { alerting[i] = AlertingRuleState(rule: a) }
        }
    }

    /// Takes over the alerts of the same rules (by position, kind and name) from an older state,
    /// so a reload does not reset pending and firing alerts.
    public mutating func inherit(from old: GroupState) {
        for (i, rule) in group.rules.enumerated() where i < old.group.rules.count {
            guard old.group.rules[i].name == rule.name, let previous = old.alerting[i], alerting[i] != nil else { continue }
            alerting[i] = AlertingRuleState(rule: alerting[i]!.rule, inheriting: previous)
            health[i] = old.health[i]
        }
    }

    /// Evaluates every rule at `t` (the group's query offset applied).
    public mutating func evaluate(at t: Int64, context: RuleContext) {
        let began = ContinuousClock.now
        let queryTime = t - (group.queryOffsetMs ?? context.queryOffsetMs)
        for i in group.rules.indices {
            let ruleBegan = ContinuousClock.now
            var rule = health[i]
            rule.lastEvaluationMs = t
            do {
                let samples = try evaluateRule(i, at: t, queryTime: queryTime, context: context)
                try write(samples, rule: i, at: queryTime, storage: context.storage)
                rule.status = .ok
                rule.lastError = ""
            } catch {
                rule.status = .err
                rule.lastError = "\(error)"
                context.onFailure(group, group.rules[i], "\(error)")
            }
            rule.evaluationSeconds = Self.seconds(ContinuousClock.now - ruleBegan)
            health[i] = rule
            alerting[i]?.health = rule
            if alerting[i] != nil {
                let due = alerting[i]!.due(at: t, resendDelayMs: context.resendDelayMs, intervalMs: group.intervalMs ?? context.evaluationIntervalMs,
                                           externalURL: context.externalURL)
                if !due.isEmpty { context.notify(due) }
            }
        }
        lastEvaluationMs = t
        evaluationSeconds = Self.seconds(ContinuousClock.now - began)
    }

    /// The rule's samples; alert state keeps evaluation times (`t`), the query runs at `queryTime`
    /// (`t` less the group's query offset), as Prometheus does.
    private mutating func evaluateRule(_ i: Int, at t: Int64, queryTime: Int64, context: RuleContext) throws -> [(labels: [String: String], value: Double)] {
        let result = try context.query(group.rules[i].expr, queryTime)
        switch group.rules[i] {
        case .recording(let r):
            var out: [(labels: [String: String], value: Double)] = []
            var seen = Set<String>()
            for s in result {
                var labels = s.labels
                labels["__name__"] = r.record
                for (k, v) in r.labels { labels[k] = v }
                if !seen.insert(AlertingRuleState.key(labels)).inserted {
                    throw RuleError("vector contains metrics with the same labelset after applying rule labels")
                }
                out.append((labels, s.value))
            }
            if group.limit > 0 && out.count > group.limit { throw RuleError("exceeded limit of \(group.limit) with \(out.count) series") }
            return out
        case .alerting:
            let environment = context.environment(t)
            return try alerting[i]!.apply(result, at: t, externalLabels: context.externalLabels, environment: environment, limit: group.limit)
        }
    }

    private mutating func write(_ samples: [(labels: [String: String], value: Double)], rule i: Int, at t: Int64, storage: Storage) throws {
        let app = storage.appender()
        var now = Set<Labels>()
        for s in samples {
            let labels = Labels(s.labels)
            now.insert(labels)
            do { try app.append(labels, t, s.value) } catch {
                // An out-of-order sample (the clock went back) is skipped, as Prometheus skips it.
            }
        }
        for gone in written[i].subtracting(now) {
            do { try app.append(gone, t, StalenessMarker.value) } catch {
                // Already written at or after t: no marker needed.
            }
        }
        app.commit()
        written[i] = now
    }

    mutating func restoreForState(_ i: Int, key: String, storedActiveAtMs: Int64, lastSeenMs: Int64, at t: Int64) {
        alerting[i]?.restore(key: key, storedActiveAtMs: storedActiveAtMs, lastSeenMs: lastSeenMs, at: t)
    }

    mutating func setRestored(_ restored: Bool) {
        for i in alerting.keys { alerting[i]?.restored = restored }
    }


    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}

/// What evaluating a group needs from outside: the store, the engine, external labels and URL.
public struct RuleContext: Sendable {
    public let storage: Storage
    public var lookbackMs: Int64 = 5 * 60_000
    public var queryOffsetMs: Int64 = 0
    public var externalLabels: [String: String] = [:]
    public var externalURL = ""
    public var evaluationIntervalMs: Int64 = 60_000
    /// How often a firing alert is sent again (Prometheus's `--rules.alert.resend-delay`, 1m).
    public var resendDelayMs: Int64 = 60_000
    /// Receives the alerts due after each alerting rule's evaluation.
    public var notify: @Sendable ([NotifierAlert]) -> Void = { _ in }
    /// Called with each rule failure (logging, counters).
    public var onFailure: @Sendable (RuleGroup, Rule, String) -> Void = { _, _, _ in }

    public init(storage: Storage) { self.storage = storage }

    var engine: Engine {
        var e = Engine(querier: storage.querier())
        e.lookbackMs = lookbackMs
        return e
    }

    /// The rule's query as a vector (a scalar becomes one sample without labels).
    func query(_ expr: Expr, _ t: Int64) throws -> [VectorSample] {
        switch try engine.instant(expr, atMs: t) {
        case .vector(let v): return v
        case .scalar(let v): return [VectorSample(labels: [:], value: v)]
        default: throw RuleError("rule result is not a vector or scalar")
        }
    }

    /// Templates' `query` function, evaluated at the rule's time.
    func environment(_ t: Int64) -> TemplateEnvironment {
        let engine = self.engine
        return TemplateEnvironment(externalURL: externalURL) { (q: String) throws(TemplateError) in
            do {
                switch try engine.instant(q, atMs: t) {
                case .vector(let v): return v.map { ($0.labels, $0.value) }
                case .scalar(let v): return [([:], v)]
                default: return []
                }
            } catch {
                throw TemplateError("error executing query: \(error)")
            }
        }
    }
}

extension AlertingRuleState {
    /// A state for `rule` carrying over the alerts of an older version of the same rule.
    init(rule: AlertingRule, inheriting old: AlertingRuleState) {
        self = old.replacingRule(rule)
    }
}
