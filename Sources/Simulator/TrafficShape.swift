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
        return baseRate * wave * burstFactor
    }

    var inBurst: Bool { burstFactor > 1 }
}
