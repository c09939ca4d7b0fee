import TSDB

/// The series Prometheus writes about every scrape, with the target's labels.
struct ReportSeries {
    static let names = [
        "up", "scrape_duration_seconds", "scrape_samples_scraped",
        "scrape_samples_post_metric_relabeling", "scrape_series_added",
    ]

    let series: [MemSeries]

    init(target: [Label], appender: some Appender) {
        series = Self.names.map { name in
            var pairs = target.filter { $0.name != "__name__" }
            pairs.append(Label("__name__", name))
            return appender.series(for: (try? Labels(pairs)) ?? Labels(["__name__": name]))
        }
    }

    /// Appends one value per series, in `names` order.
    func append(_ values: [Double], at t: Int64, into appender: some Appender) {
        for (s, v) in zip(series, values) {
            do throws(AppendError) { try appender.append(s, t, v) } catch {
                // Only possible when the clock went backwards; the next scrape writes again.
            }
        }
    }
}
