/// Why a target could not be scraped; the text is what `/api/v1/targets` shows as `lastError`.
public enum ScrapeFailure: Error, Sendable, Equatable, CustomStringConvertible {
    case timeout(ms: Int64)
    case status(code: Int, reason: String)
    case bodyTooLarge(limit: Int64)
    case transport(String)
    case credentials(String)
    case ingest(IngestError)

    public var description: String {
        switch self {
        case .timeout(let ms): "Get: context deadline exceeded (scrape timeout \(ms) ms)"
        case .status(let code, let reason): "server returned HTTP status \(code) \(reason)"
        case .bodyTooLarge(let limit): "body size limit exceeded (limit \(limit) bytes)"
        case .transport(let message): message
        case .credentials(let message): message
        case .ingest(let e): e.description
        }
    }
}
