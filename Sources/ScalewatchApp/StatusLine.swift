import Rules
import Scrape
import TSDB

/// The demo's live line: targets up, series, samples per second, stored bytes per sample.
enum StatusLine {
    static func render(storage: Storage, pools: [ScrapePool], samplesPerSecond: Double, alerts: [GroupState] = []) -> String {
        let loops = pools.flatMap(\.activeTargets)
        let up = loops.filter { $0.health.withLock { $0.state == .up } }.count
        let samples = storage.head.samplesAppended
        let bytesPerSample = samples > 0 ? Double(storage.head.chunkBytes) / Double(samples) : 0
        return "targets \(up)/\(loops.count) up · \(storage.head.seriesCount) series · "
            + "\(Int(samplesPerSecond.rounded())) samples/s · \(format(bytesPerSample)) bytes/sample stored"
            + (alerts.isEmpty ? "" : " · alerts \(count(alerts, .firing)) firing, \(count(alerts, .pending)) pending")
    }

    /// `ALERT firing: Name{labels}` and `ALERT resolved: …` for alerts whose state changed.
    static func transitions(_ groups: [GroupState], since previous: inout [String: AlertState]) -> [String] {
        var lines: [String] = []
        var current: [String: AlertState] = [:]
        for group in groups {
            for rule in group.alerting.values {
                for alert in rule.active.values {
                    let name = (alert.labels["alertname"] ?? "") + Labels(alert.labels.filter { $0.key != "alertname" }).description
                    current[name] = alert.state
                    if previous[name] != alert.state && alert.state != .pending {
                        lines.append("ALERT \(alert.state == .firing ? "firing" : "resolved"): \(name) \(alert.annotations["description"] ?? "")")
                    }
                }
            }
        }
        previous = current
        return lines
    }

    static func count(_ groups: [GroupState], _ state: AlertState) -> Int {
        groups.reduce(0) { $0 + $1.alerting.values.reduce(0) { $0 + $1.active.values.filter { $0.state == state }.count } }
    }

    static func format(_ v: Double) -> String {
        let hundredths = Int((v * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
