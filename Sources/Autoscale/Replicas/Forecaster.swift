/// Forecasts a signal over a new replica's start-up lead time: additive Holt-Winters with a
/// daily season when at least two seasons of history exist, otherwise a least-squares linear
/// trend over the recent past (twice the horizon, at least four points), so a spike that has
/// passed no longer bends the forecast.
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
        let window = values.suffix(max(4, Int((2 * ahead).rounded(.up))))
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
