/// Forecasts a signal over a new replica's start-up lead time: additive Holt-Winters with a
/// daily season when at least two seasons of history exist, a least-squares linear trend
/// otherwise.
public enum Forecaster {
    public enum Method: String, Sendable { case holtWinters = "holt-winters", linearTrend = "linear-trend", lastValue = "last-value" }

    /// `values` are evenly spaced by `stepMs`, oldest first; the forecast is `horizonMs` past the last.
    public static func forecast(_ values: [Double], stepMs: Int64, horizonMs: Int64, seasonMs: Int64 = 86_400_000,
                                alpha: Double = 0.3, beta: Double = 0.05, gamma: Double = 0.3) -> (value: Double, method: Method) {
        guard let last = values.last else { return (0, .lastValue) }
        let season = Int(seasonMs / stepMs)
        let ahead = Double(horizonMs) / Double(stepMs)
        if season >= 2 && values.count >= 2 * season {
            // Initial level and trend from the first two seasons; seasonal offsets from the first.
            let first = values[0..<season], second = values[season..<(2 * season)]
            let mean1 = first.reduce(0, +) / Double(season), mean2 = second.reduce(0, +) / Double(season)
            var level = mean1
            var trend = (mean2 - mean1) / Double(season)
            var seasonal = first.map { $0 - mean1 }
            for (i, y) in values.enumerated() {
                let s = seasonal[i % season]
                let previousLevel = level
                level = alpha * (y - s) + (1 - alpha) * (level + trend)
                trend = beta * (level - previousLevel) + (1 - beta) * trend
                seasonal[i % season] = gamma * (y - level) + (1 - gamma) * s
            }
            let h = Int(ahead.rounded(.up))
            return (level + Double(h) * trend + seasonal[(values.count - 1 + h) % season], .holtWinters)
        }
        guard values.count >= 2 else { return (last, .lastValue) }
        let n = Double(values.count)
        let xs = (0..<values.count).map(Double.init)
        let meanX = xs.reduce(0, +) / n, meanY = values.reduce(0, +) / n
        let cov = zip(xs, values).reduce(0) { $0 + ($1.0 - meanX) * ($1.1 - meanY) }
        let varX = xs.reduce(0) { $0 + ($1 - meanX) * ($1 - meanX) }
        let slope = cov / varX
        return (meanY + slope * (n - 1 + ahead - meanX), .linearTrend)
    }
}
