/// What `/api/v1/targets` shows about one target, updated after every scrape.
public struct TargetHealth: Sendable, Equatable {
    public enum State: String, Sendable { case unknown, up, down }

    public var state = State.unknown
    public var lastError = ""
    /// Wall-clock start of the last scrape, ms since the epoch (0: never scraped).
    public var lastScrapeMs: Int64 = 0
    public var lastScrapeDurationSeconds = 0.0
    public var lastSamples = 0

    public init() {}
}
