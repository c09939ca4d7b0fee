/// Writes samples in batches: nothing is visible to queries or durable until `commit()`;
/// `rollback()` discards the batch (a failed scrape rolls back as a whole).
/// Each sample is checked on `append`, and a rejected one throws without spoiling the batch.
public protocol Appender: AnyObject {
    /// Appends to the series with these labels, creating it if new; returns the series so that
    /// callers (a scrape's series cache) can append to it directly next time.
    @discardableResult
    func append(_ labels: Labels, _ timestampMs: Int64, _ value: Double) throws(AppendError) -> MemSeries
    func append(_ series: MemSeries, _ timestampMs: Int64, _ value: Double) throws(AppendError)
    /// The series with these labels, created (and logged with the batch) if new, without a sample.
    func series(for labels: Labels) -> MemSeries
    func commit()
    func rollback()
}
