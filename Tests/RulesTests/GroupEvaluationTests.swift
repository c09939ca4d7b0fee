import PromQL
@testable import Rules
import Testing
import TSDB

/// One group evaluated tick by tick against a store, as the rule manager runs it.
@Suite struct GroupEvaluationTests {
    static func group(_ yaml: String) throws -> RuleGroup {
        try RuleFile(text: yaml, file: "rules.yml").groups[0]
    }

    static func value(_ storage: Storage, _ query: String, at t: Int64) throws -> [String: Double] {
        guard case .vector(let v) = try Engine(querier: storage.querier()).instant(query, atMs: t) else { return [:] }
        var out: [String: Double] = [:]
        for s in v { out[s.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")] = s.value }
        return out
    }

    @Test func alertsGoPendingFiringKeptFiringAndResolved() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        // Waiting requests: high from minute 1 to minute 5, then low.
        let s = app.series(for: Labels(["__name__": "waiting", "pod": "a"]))
        for (k, v) in [1.0, 20, 20, 20, 20, 20, 1, 1, 1, 1, 1, 1, 1, 1].enumerated() { try app.append(s, Int64(k) * 60_000, v) }
        app.commit()
        var state = GroupState(group: try Self.group("""
            groups:
              - name: g
                rules:
                  - alert: Waiting
                    expr: waiting > 10
                    for: 2m
                    keep_firing_for: 3m
                    labels: {severity: warning}
                    annotations: {description: '{{ $labels.pod }} has {{ $value }} waiting'}
            """))
        let context = RuleContext(storage: storage)
        var states: [String] = []
        for minute in 0...12 {
            state.evaluate(at: Int64(minute) * 60_000, context: context)
            states.append(state.alerting[0]!.active.values.first?.state.rawValue ?? "-")
        }
        // Pending at 1, firing at 3 (2m later), condition gone at 6, kept firing until 9 (3m), then resolved.
        #expect(states == ["-", "pending", "pending", "firing", "firing", "firing", "firing", "firing", "firing", "inactive", "inactive", "inactive", "inactive"])
        let alert = try #require(state.alerting[0]!.active.values.first)
        #expect(alert.annotations["description"] == "a has 20 waiting")
        #expect(alert.labels == ["alertname": "Waiting", "pod": "a", "severity": "warning"])
        #expect(alert.activeAtMs == 60_000 && alert.firedAtMs == 180_000 && alert.resolvedAtMs == 540_000)
        // ALERTS carried the state; the series ends with a staleness marker once resolved.
        #expect(try Self.value(storage, "ALERTS", at: 120_000) == ["__name__=ALERTS,alertname=Waiting,alertstate=pending,pod=a,severity=warning": 1])
        #expect(try Self.value(storage, "ALERTS", at: 240_000) == ["__name__=ALERTS,alertname=Waiting,alertstate=firing,pod=a,severity=warning": 1])
        #expect(try Self.value(storage, "ALERTS_FOR_STATE", at: 240_000) == ["__name__=ALERTS_FOR_STATE,alertname=Waiting,pod=a,severity=warning": 60])
        #expect(try Self.value(storage, "ALERTS", at: 600_000).isEmpty)
    }

    @Test func recordingRulesFeedLaterRulesAndGoStale() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for pod in ["a", "b"] {
            let s = app.series(for: Labels(["__name__": "running", "pod": pod, "model": "llama"]))
            try app.append(s, 0, pod == "a" ? 3 : 4)
            try app.append(s, 60_000, pod == "a" ? 5 : 6)
        }
        let c = app.series(for: Labels(["__name__": "running", "pod": "c", "model": "mixtral"]))
        try app.append(c, 0, 7)
        try app.append(c, 60_000, StalenessMarker.value)
        app.commit()
        var state = GroupState(group: try Self.group("""
            groups:
              - name: g
                rules:
                  - record: model:running:sum
                    expr: sum by (model) (running)
                    labels: {team: inference}
                  - alert: Busy
                    expr: model:running:sum > 10
            """))
        let context = RuleContext(storage: storage)
        state.evaluate(at: 0, context: context)
        #expect(try Self.value(storage, "model:running:sum", at: 0) == ["__name__=model:running:sum,model=llama,team=inference": 7,
                                                                         "__name__=model:running:sum,model=mixtral,team=inference": 7])
        state.evaluate(at: 60_000, context: context)
        // The alert saw the series the rule before it wrote in the same evaluation.
        #expect(state.alerting[1]!.active.values.map(\.labels["model"]) == ["llama"])
        // mixtral's source went stale, so its recorded series ends too.
        #expect(try Self.value(storage, "model:running:sum", at: 60_000) == ["__name__=model:running:sum,model=llama,team=inference": 11])
        #expect(state.health.map(\.status) == [.ok, .ok])
    }

    @Test func failuresAndLimitsShowInHealth() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for pod in ["a", "b", "c"] { try app.append(Labels(["__name__": "x", "pod": pod]), 0, 1) }
        app.commit()
        var state = GroupState(group: try Self.group("""
            groups:
              - name: g
                limit: 2
                rules:
                  - record: y
                    expr: x
                  - record: z
                    expr: sum without (pod) (x) or x * 0
                    labels: {pod: same}
            """))
        state.evaluate(at: 0, context: RuleContext(storage: storage))
        #expect(state.health[0].status == .err && state.health[0].lastError == "exceeded limit of 2 with 3 series")
        #expect(state.health[1].status == .err && state.health[1].lastError.contains("same labelset after applying rule labels"))
        #expect(try Self.value(storage, "y", at: 0).isEmpty)
    }

    @Test func restartRestoresActiveSinceFromTheStore() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        let s = app.series(for: Labels(["__name__": "waiting", "pod": "a"]))
        for k in 0...30 { try app.append(s, Int64(k) * 60_000, 20) }
        app.commit()
        let group = try Self.group("""
            groups:
              - name: g
                rules:
                  - alert: Waiting
                    expr: waiting > 10
                    for: 10m
            """)
        let context = RuleContext(storage: storage)
        var before = GroupState(group: group)
        for minute in 0...12 { before.evaluate(at: Int64(minute) * 60_000, context: context) }
        #expect(before.alerting[0]!.active.values.first?.state == .firing)
        // A restart five minutes later: the first evaluation sees a new pending alert, the restore
        // gives it back its active-since time, and the next evaluation fires it.
        var after = GroupState(group: group)
        after.setRestored(false)
        after.evaluate(at: 17 * 60_000, context: context)
        #expect(after.alerting[0]!.active.values.first?.state == .pending)
        let manager = RuleManager(storage: storage, logger: .init(label: "test"), now: { 0 })
        manager.restoreForState(&after, at: 17 * 60_000)
        #expect(after.alerting[0]!.active.values.first?.activeAtMs == 0)
        after.evaluate(at: 18 * 60_000, context: context)
        #expect(after.alerting[0]!.active.values.first?.state == .firing)
    }

    @Test func queryOffsetShiftsTheQueryNotTheAlertTimes() throws {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        let s = app.series(for: Labels(["__name__": "waiting"]))
        try app.append(s, 0, 1)
        try app.append(s, 60_000, 20)
        app.commit()
        var state = GroupState(group: try Self.group("""
            groups:
              - name: g
                query_offset: 1m
                rules:
                  - alert: Waiting
                    expr: waiting > 10
            """))
        let context = RuleContext(storage: storage)
        state.evaluate(at: 60_000, context: context)
        #expect(state.alerting[0]!.active.isEmpty)
        state.evaluate(at: 120_000, context: context)
        #expect(state.alerting[0]!.active.values.first?.activeAtMs == 120_000)
        // ALERTS is written at the query's time.
        #expect(try Self.value(storage, "ALERTS", at: 60_000).count == 1)
    }
}
