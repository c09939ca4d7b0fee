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
    }
}
