/// A signal's forecaster fed one value per evaluation: additive Holt-Winters with a daily
/// season once two seasons are seen (initialised from them, then updated in O(1) per value),
/// a least-squares linear trend over the recent past before that (four lead times, at least 20
/// values: shorter windows turn noise into trends). Codable: checkpointed with
/// the policy, so a restart keeps the season.
public struct SignalForecaster: Sendable, Codable, Equatable {
    public enum Method: String, Sendable, Codable { case holtWinters = "holt-winters", linearTrend = "linear-trend", lastValue = "last-value" }

    public let stepMs: Int64
    public let season: Int
    let alpha: Double, beta: Double, gamma: Double
    /// The most recent values, for the linear trend.
    private(set) var recent: [Double] = []
    /// The first two seasons, until Holt-Winters starts.
    private var warmup: [Double] = []
    private var level = 0.0, trend = 0.0
    private var seasonal: [Double] = []
    /// Values seen.
    public private(set) var count = 0
    static let recentCapacity = 256

    public init(stepMs: Int64, seasonMs: Int64 = 86_400_000, alpha: Double = 0.3, beta: Double = 0.05, gamma: Double = 0.3) {
        self.stepMs = stepMs
        season = Int(seasonMs / max(1, stepMs))
        self.alpha = alpha
        self.beta = beta
        self.gamma = gamma
    }

    var seasonal2Ready: Bool { season >= 2 && count >= 2 * season }

    public mutating func add(_ value: Double) {
        // A gap (NaN, ±Inf) repeats the last value, so the season stays aligned and finite.
        let y = value.isFinite ? value : (recent.last ?? 0)
        recent.append(y)
        if recent.count > 2 * Self.recentCapacity { recent.removeFirst(recent.count - Self.recentCapacity) }
        count += 1
        guard season >= 2 else { return }
        if count < 2 * season {
            warmup.append(y)
        } else if count == 2 * season {
            warmup.append(y)
            // Initial level and trend from the first two seasons; seasonal offsets from the first.
            let first = warmup[0..<season], second = warmup[season...]
            let mean1 = first.reduce(0, +) / Double(season), mean2 = second.reduce(0, +) / Double(season)
            level = mean1
            trend = (mean2 - mean1) / Double(season)
            seasonal = first.map { $0 - mean1 }
            for (i, v) in warmup.enumerated() { update(v, index: i) }
            warmup = []
        } else {
            update(y, index: count - 1)
        }
    }

    private mutating func update(_ y: Double, index i: Int) {
        let s = seasonal[i % season]
        let previousLevel = level
        level = alpha * (y - s) + (1 - alpha) * (level + trend)
        trend = beta * (level - previousLevel) + (1 - beta) * trend
        seasonal[i % season] = gamma * (y - level) + (1 - gamma) * s
    }

    /// The forecast `horizonMs` past the last value, and how it was made.
    public func forecast(horizonMs: Int64) -> (value: Double, method: Method) {
        guard let last = recent.last else { return (0, .lastValue) }
        let ahead = Double(horizonMs) / Double(stepMs)
        if seasonal2Ready {
            let h = Int(ahead.rounded(.up))
            return (level + Double(h) * trend + seasonal[(count - 1 + h) % season], .holtWinters)
        }
        guard recent.count >= 2 else { return (last, .lastValue) }
        let window = recent.suffix(min(Self.recentCapacity, max(20, Int((4 * ahead).rounded(.up)))))
        let n = Double(window.count)
        var meanY = 0.0
        for y in window { meanY += y }
        meanY /= n
        let meanX = (n - 1) / 2
        var cov = 0.0, varX = 0.0
        for (i, y) in window.enumerated() {
            let dx = Double(i) - meanX
            cov += dx * (y - meanY)
            varX += dx * dx
        }
        let slope = varX > 0 ? cov / varX : 0
        return (meanY + slope * (n - 1 + ahead - meanX), .linearTrend)
    }
}
