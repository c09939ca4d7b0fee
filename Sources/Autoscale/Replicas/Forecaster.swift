/// Forecasts a signal over a new replica's start-up lead time from its whole history at once:
/// what `SignalForecaster` says after being fed `values` one by one.
public enum Forecaster {
    public typealias Method = SignalForecaster.Method

    /// `values` are evenly spaced by `stepMs`, oldest first; the forecast is `horizonMs` past the last.
    public static func forecast(_ values: [Double], stepMs: Int64, horizonMs: Int64, seasonMs: Int64 = 86_400_000,
                                alpha: Double = 0.3, beta: Double = 0.05, gamma: Double = 0.3) -> (value: Double, method: Method) {
        var f = SignalForecaster(stepMs: stepMs, seasonMs: seasonMs, alpha: alpha, beta: beta, gamma: gamma)
        for v in values { f.add(v) }
        return f.forecast(horizonMs: horizonMs)
    }
}
