import ConfigSupport

/// One `alerting.webhooks` entry: an on-call endpoint that gets Alertmanager's webhook payload
/// (version 4), with Alertmanager's grouping and timing, for teams without an Alertmanager.
public struct WebhookConfig: Sendable, Equatable {
    public var name: String
    public var url: String
    public var groupBy: [String] = ["alertname"]
    public var groupWaitMs: Int64 = 30_000
    public var groupIntervalMs: Int64 = 5 * 60_000
    public var repeatIntervalMs: Int64 = 4 * 3_600_000
    public var sendResolved = true
    /// The most alerts in one payload (0: all); the rest are counted in `truncatedAlerts`.
    public var maxAlerts = 0
    public var timeoutMs: Int64 = 10_000
    public var bearerToken: String? = nil
    public var basicAuth: (username: String, password: String)? = nil

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    public init?(reading node: ConfigNode, index: Int) {
        guard let m = node.mapping(allowed: ["name", "url", "group_by", "group_wait", "group_interval", "repeat_interval", "send_resolved",
                                              "max_alerts", "timeout", "authorization", "basic_auth"]) else { return nil }
        guard let url = m.require("url")?.string else { return nil }
        if !(url.hasPrefix("http://") || url.hasPrefix("https://")) { m["url"]?.fail("url must be an http or https URL, got \"\(url)\"") }
        self.init(name: m["name"]?.string ?? "webhook-\(index)", url: url)
        if let g = m["group_by"]?.stringList { groupBy = g }
        if let d = m["group_wait"]?.duration { groupWaitMs = d.milliseconds }
        if let d = m["group_interval"]?.nonZeroDuration { groupIntervalMs = d.milliseconds }
        if let d = m["repeat_interval"]?.nonZeroDuration { repeatIntervalMs = d.milliseconds }
        if let b = m["send_resolved"]?.bool { sendResolved = b }
        if let n = m["max_alerts"]?.int { maxAlerts = max(0, n) }
        if let d = m["timeout"]?.nonZeroDuration { timeoutMs = d.milliseconds }
        if let a = m["authorization"]?.mapping(allowed: ["type", "credentials"]) { bearerToken = a["credentials"]?.string }
        if let b = m["basic_auth"]?.mapping(allowed: ["username", "password"]) { basicAuth = (b["username"]?.string ?? "", b["password"]?.string ?? "") }
        if repeatIntervalMs < groupIntervalMs { m["repeat_interval"]?.fail("repeat_interval shorter than group_interval: notifications repeat at group_interval at most") }
    }

    public static func == (a: WebhookConfig, b: WebhookConfig) -> Bool {
        a.name == b.name && a.url == b.url && a.groupBy == b.groupBy && a.groupWaitMs == b.groupWaitMs && a.groupIntervalMs == b.groupIntervalMs
            && a.repeatIntervalMs == b.repeatIntervalMs && a.sendResolved == b.sendResolved && a.maxAlerts == b.maxAlerts
            && a.timeoutMs == b.timeoutMs && a.bearerToken == b.bearerToken && a.basicAuth?.username == b.basicAuth?.username
            && a.basicAuth?.password == b.basicAuth?.password
    }
}
