import Foundation
import PromQL
import Scrape

/// `/api/v1/targets` in Prometheus's JSON shape, with its `state` and `scrapePool` filters.
public enum TargetsAPI {
    struct Envelope: Encodable {
        let status = "success"
        let data: Data
    }

    struct Data: Encodable {
        let activeTargets: [Active]
        let droppedTargets: [Dropped]
    }

    struct Active: Encodable {
        let discoveredLabels: [String: String]
        let labels: [String: String]
        let scrapePool: String
        let scrapeUrl: String
        let globalUrl: String
        let lastError: String
        let lastScrape: String
        let lastScrapeDuration: Double
        let health: String
        let scrapeInterval: String
        let scrapeTimeout: String
    }

    struct Dropped: Encodable {
        let discoveredLabels: [String: String]
    }

    public static func render(pools: [ScrapePool], state: String?, scrapePool: String?) -> [UInt8] {
        let wanted = pools.filter { scrapePool == nil || $0.config.jobName == scrapePool }
        let showActive = state == nil || state == "any" || state == "active"
        let showDropped = state == nil || state == "any" || state == "dropped"
        var active: [Active] = []
        var dropped: [Dropped] = []
        for pool in wanted {
            if showActive {
                for loop in pool.activeTargets {
                    let health = loop.health.withLock { $0 }
                    active.append(Active(
                        discoveredLabels: loop.target.discoveredLabels,
                        labels: Dictionary(loop.target.labels.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }),
                        scrapePool: pool.config.jobName, scrapeUrl: loop.target.url, globalUrl: loop.target.url,
                        lastError: health.lastError, lastScrape: RFC3339.format(ms: health.lastScrapeMs),
                        lastScrapeDuration: health.lastScrapeDurationSeconds, health: health.state.rawValue,
                        scrapeInterval: pool.config.scrapeInterval.description, scrapeTimeout: pool.config.scrapeTimeout.description))
                }
            }
            if showDropped {
                dropped += pool.droppedTargets.map { Dropped(discoveredLabels: $0.discoveredLabels) }
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings, numbers and dictionaries cannot fail.
        let json = (try? encoder.encode(Envelope(data: Data(activeTargets: active, droppedTargets: dropped)))) ?? Foundation.Data()
        return Array(json)
    }
}
