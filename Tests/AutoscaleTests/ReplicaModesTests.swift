import Autoscale
import Foundation
import Testing

/// Burst mode as Knative's panic mode, scale to zero as KEDA's activation, and the forecaster.
@Suite struct ReplicaModesTests {
    @Test func burstScalesUpAtOnceAndHoldsForAStableWindow() {
        var burst = BurstMode(stableWindowMs: 60_000)
        // Calm: the stable window decides.
        #expect(burst.decide(at: 0, readyReplicas: 4, stableDesired: 4, panicDesired: 5) == 4 && !burst.inBurst)
        // A burst asks for 3× the ready replicas: all of it, now.
        #expect(burst.decide(at: 2_000, readyReplicas: 4, stableDesired: 5, panicDesired: 12) == 12 && burst.inBurst)
        // The burst eases but no scale-down while in it, even below the stable figure.
        #expect(burst.decide(at: 30_000, readyReplicas: 12, stableDesired: 7, panicDesired: 8) == 12)
        #expect(burst.decide(at: 62_000, readyReplicas: 12, stableDesired: 7, panicDesired: 7) == 12)
        // A stable window after the last burst reading: back to the stable figure.
        #expect(burst.decide(at: 63_000, readyReplicas: 12, stableDesired: 7, panicDesired: 7) == 7 && !burst.inBurst)
    }

    @Test func idleModelsGoToZeroAfterTheCooldownAndWakeOnActivity() {
        var zero = ScaleToZero(activationThreshold: 0.5, cooldownMs: 300_000)
        #expect(zero.apply(at: 0, signal: 3, desired: 2) == 2)
        #expect(zero.apply(at: 60_000, signal: 0.2, desired: 0) == 1)
        #expect(zero.apply(at: 299_000, signal: 0, desired: 0) == 1)
        #expect(zero.apply(at: 301_000, signal: 0, desired: 0) == 0)
        #expect(zero.apply(at: 400_000, signal: 0.6, desired: 0) == 1)
    }

    @Test func forecastsFollowTheSeasonOrTheTrend() {
        // A clean daily pattern at 15-minute steps for three days: the forecast tracks the season.
        let step: Int64 = 900_000, perDay = 96
        func daily(_ i: Int) -> Double {
            let phase: Double = Double(i % perDay) / Double(perDay) * 2 * Double.pi
            return 100 + 50 * sin(phase)
        }
        let pattern: [Double] = (0..<(3 * perDay)).map(daily)
        let ahead = Forecaster.forecast(pattern, stepMs: step, horizonMs: 3_600_000)
        let expected = daily(3 * perDay - 1 + 4)
        #expect(ahead.method == .holtWinters && abs(ahead.value - expected) < 3, "\(ahead) vs \(expected)")
        // Short history: a linear trend, extrapolated over the lead time.
        let ramp = (0..<20).map { 10 + 2 * Double($0) }
        let trend = Forecaster.forecast(ramp, stepMs: 60_000, horizonMs: 300_000)
        #expect(trend.method == .linearTrend && abs(trend.value - (10 + 2 * 24)) < 1e-9)
        let single = Forecaster.forecast([7], stepMs: 60_000, horizonMs: 300_000)
        #expect(single.value == 7 && single.method == .lastValue)
        // A spike that has passed no longer lifts the trend: only the recent past is fitted.
        let afterSpike = Array(repeating: 500.0, count: 40) + Array(repeating: 3.0, count: 24)
        let settled = Forecaster.forecast(afterSpike, stepMs: 15_000, horizonMs: 60_000)
        #expect(settled.method == .linearTrend && abs(settled.value - 3) < 1e-9, "\(settled)")
    }

    @Test func aGuardSignalScalesUpAboveItsTargetAndIsSilentBelowIt() {
        var settings = ReplicaRecommender.Settings()
        settings.burst = nil
        settings.behavior.scaleDown.stabilizationWindowSeconds = 0
        var r = ReplicaRecommender(settings: settings)
        func input(inFlight: Double, p95: Double, replicas: Int) -> ReplicaRecommender.Input {
            var i = ReplicaRecommender.Input(signals: [("in_flight", inFlight, 10), ("p95", p95, 20)], currentReplicas: replicas, readyReplicas: replicas)
            i.kinds = [.averageValue, .value]
            i.upOnly = [false, true]
            return i
        }
        // Below its target the latency guard is silent: 10 in flight at 10 per replica → 1 replica.
        #expect(r.recommend(at: 15_000, input(inFlight: 10, p95: 13, replicas: 3)).replicas == 1)
        // Above it, it asks for ceil(1 × 30 / 20) = 2 although the load signal asks for 1.
        #expect(r.recommend(at: 30_000, input(inFlight: 10, p95: 30, replicas: 1)).replicas == 2)
        // As a plain Value signal, 13 against 20 from 3 replicas would have held 2 (ceil(1.95)).
        var plain = ReplicaRecommender(settings: settings)
        var i = input(inFlight: 10, p95: 13, replicas: 3)
        i.upOnly = []
        #expect(plain.recommend(at: 15_000, i).replicas == 2)
    }
}

@Suite struct ForecastErrorTests {
    @Test func forecastsAreScoredWhenTheirTimeComes() {
        var e = ForecastError()
        e.forecast(10, dueMs: 60_000)
        e.forecast(20, dueMs: 75_000)
        e.observe(14, at: 45_000)
        #expect(e.meanAbsoluteError == nil, "nothing due yet")
        e.observe(14, at: 60_000)
        #expect(e.meanAbsoluteError == 4 && e.count == 1)
        e.observe(10, at: 75_000)
        // 4 + 0.1 × (10 − 4)
        #expect(abs(e.meanAbsoluteError! - 4.6) < 1e-12 && e.count == 2)
    }
}

/// Signals without a number (a quantile over no traffic is NaN) or beyond what Kubernetes holds
/// never crash a recommender: they give no proposal, and the other signals decide.
@Suite struct HostileSignalTests {
    @Test func nanAndHugeSignalsGiveNoProposal() {
        for bad in [Double.nan, .infinity, -.infinity, 1e300] {
            var settings = ReplicaRecommender.Settings()
            settings.leadTimeMs = 60_000
            settings.minReplicas = 0
            settings.scaleToZero = ScaleToZero()
            var r = ReplicaRecommender(settings: settings)
            var input = ReplicaRecommender.Input(signals: [("load", bad, 10), ("p95", bad, 20)], currentReplicas: 3, readyReplicas: 3)
            input.kinds = [.averageValue, .value]
            input.panicSignals = [bad, bad]
            var f = SignalForecaster(stepMs: 15_000)
            f.add(bad)
            input.forecaster = f
            #expect(r.recommend(at: 15_000, input).replicas == 3, "\(bad)")
            // With one good signal, it decides.
            input.signals = [("load", 40, 10), ("p95", bad, 20)]
            input.panicSignals = nil
            var g = SignalForecaster(stepMs: 15_000)
            g.add(40)
            g.add(40)
            input.forecaster = g
            #expect(r.recommend(at: 30_000, input).replicas == 4, "\(bad)")
            #expect(throws: ReplicaCalculator.NoProposal.self) { try ReplicaCalculator.replicas(for: .value(current: bad, target: 1), currentReplicas: 1) }
        }
        var e = ForecastError()
        e.forecast(1, dueMs: 0)
        e.observe(.nan, at: 0)
        e.observe(2, at: 0)
        #expect(e.meanAbsoluteError == 1)
    }
}
