#if canImport(Glibc)
import Glibc
#endif

/// A seeded generator (SplitMix64): the same seed gives the same world, run after run.
struct SimRandom: Sendable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

    /// Whether an event of `rate` per second happens within `dt` seconds.
    mutating func happens(rate: Double, dt: Double) -> Bool { unit() < 1 - exp(-rate * dt) }

    /// Exponentially distributed with the given mean.
    mutating func exponential(mean: Double) -> Double { -mean * log(1 - unit()) }

    /// Log-normal with the given median and shape.
    mutating func logNormal(median: Double, sigma: Double) -> Double {
        // Box–Muller.
        let u1 = max(unit(), 1e-12), u2 = unit()
        return median * exp(sigma * sqrt(-2 * log(u1)) * cos(2 * Double.pi * u2))
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int(next() % UInt64(items.count))] }
}
