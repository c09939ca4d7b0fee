/// The two exposition formats a target can answer with.
public enum ExpositionFormat: Sendable, Hashable, CustomStringConvertible {
    /// Prometheus text format 0.0.4 (`text/plain; version=0.0.4`).
    case prometheusText
    /// OpenMetrics 1.0 (`application/openmetrics-text; version=1.0.0`).
    case openMetrics

    /// The `Accept` header Prometheus sends: OpenMetrics preferred, text 0.0.4 as fallback.
    public static let scrapeAcceptHeader =
        "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// Picks the parser for a response `Content-Type`, as Prometheus does: OpenMetrics only when the
    /// media type says so, the text format for everything else (including a missing header).
    public init(contentType: String?) {
        guard let contentType else { self = .prometheusText; return }
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingSpaces().lowercased()
        }
        self = mediaType == "application/openmetrics-text" ? .openMetrics : .prometheusText
    }

    /// The `Content-Type` a writer of this format answers with.
    public var contentType: String {
        switch self {
        case .prometheusText: "text/plain; version=0.0.4; charset=utf-8"
        case .openMetrics: "application/openmetrics-text; version=1.0.0; charset=utf-8"
        }
    }

    public var description: String {
        switch self {
        case .prometheusText: "Prometheus text 0.0.4"
        case .openMetrics: "OpenMetrics 1.0"
        }
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s.removeFirst() }
        while let l = s.last, l == " " || l == "\t" { s.removeLast() }
        return s
    }
}
