import ConfigSupport
import Logging

/// Watches the files of a job's `file_sd_configs`: re-reads them when one changes (checked
/// every second) and at least every `refresh_interval`. A file that cannot be read or parsed
/// keeps the groups it last gave, and the problem is logged with its line and key.
public struct FileDiscovery: Sendable {
    public let configs: [FileSDConfig]
    let logger: Logger

    public init(configs: [FileSDConfig], logger: Logger) {
        self.configs = configs
        self.logger = logger
    }

    /// Calls `update` with all groups now and after every change, until cancelled.
    public func run(pollInterval: Duration = .seconds(1), update: @Sendable ([TargetGroup]) async -> Void) async {
        var lastGood: [String: [TargetGroup]] = [:]
        var stamps: [String: [Int64]] = [:]
        var sinceRefresh: [Int: Duration] = [:]
        var first = true
        while !Task.isCancelled {
            var changed = first
            for (i, config) in configs.enumerated() {
                let due = (sinceRefresh[i] ?? .zero) >= config.refreshInterval.duration
                if due { sinceRefresh[i] = .zero }
                for pattern in config.files {
                    let paths = TargetGroupFile.expand(pattern)
                    for path in paths {
                        let stamp = TargetGroupFile.stamp(path)
                        guard due || first || stamp != stamps[path] else { continue }
                        stamps[path] = stamp
                        do {
                            let groups = try TargetGroupFile.read(path: path)
                            if lastGood[path] != groups {
                                lastGood[path] = groups
                                changed = true
                            }
                        } catch {
                            logger.error("file_sd: \(error)")
                        }
                    }
                    // Files that vanished take their targets with them.
                    for path in lastGood.keys where matches(pattern, path) && !paths.contains(path) {
                        lastGood[path] = nil
                        stamps[path] = nil
                        changed = true
                    }
                }
                sinceRefresh[i, default: .zero] += pollInterval
            }
            first = false
            if changed { await update(lastGood.keys.sorted().flatMap { lastGood[$0]! }) }
            do { try await Task.sleep(for: pollInterval) } catch { return }
        }
    }

    private func matches(_ pattern: String, _ path: String) -> Bool {
        guard let star = pattern.firstIndex(of: "*") else { return pattern == path }
        return path.hasPrefix(pattern[..<star]) && path.hasSuffix(pattern[pattern.index(after: star)...])
    }
}
