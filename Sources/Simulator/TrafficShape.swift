#if canImport(Glibc)
import Glibc
#endif

/// Request rate over the day: a daily wave (peak mid-afternoon UTC, trough at night) times
/// occasional bursts, as inference traffic looks.
struct TrafficShape: Sendable {
    /// Mean rate over a day, requests per second.
    var baseRate: Double
    /// Relative size of the daily wave (0.6: peak 1.6×, trough 0.4× the mean).
    var dailyAmplitude = 0.6
    /// Bursts start this often (per second) …
    var burstRate = 1.0 / 3600
    /// … and multiply the rate by 2–4× for 2–10 minutes.
    var burstUntil: Double = -1
    var burstFactor = 1.0
    /// Scripted surges on top of the random bursts (a launch, a demo's scenario).
    var surges: [TrafficSurge] = []

    /// The rate at `t` seconds since the epoch; `rng` decides bursts, stepping once per tick.
    mutating func rate(at t: Double, dt: Double, rng: inout SimRandom) -> Double {
        if t >= burstUntil {
            burstFactor = 1
            if rng.happens(rate: burstRate, dt: dt) {
                burstFactor = 2 + 2 * rng.unit()
                burstUntil = t + 120 + 480 * rng.unit()
            }
        }
        let dayFraction = t.truncatingRemainder(dividingBy: 86_400) / 86_400
        // Peak at 15:00 UTC.
        let wave = 1 + dailyAmplitude * cos(2 * Double.pi * (dayFraction - 15.0 / 24))
        let extra = surges.reduce(0.0) { $1.covers(t) ? $0 + $1.extraRate : $0 }
        return baseRate * wave * burstFactor + extra
    }

    var inBurst: Bool { burstFactor > 1 }
}

/// A scripted surge of a model's traffic: `extraRate` more requests per second over
/// [start, end) (a launch, a client's batch job, the demo's scenario).
public struct TrafficSurge: Sendable, Equatable {
    public var model: String
    /// Seconds since the epoch.
    public var start: Double
    public var end: Double
    public var extraRate: Double

    public init(model: String, start: Double, end: Double, extraRate: Double) {
        self.model = model
        self.start = start
        self.end = end
        self.extraRate = extraRate
    }

    func covers(_ t: Double) -> Bool { t >= start && t < end }
}
