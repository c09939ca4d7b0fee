import ConfigSupport

/// The `alerting` section: where alerts go. Alertmanagers in Prometheus's shape (static targets,
/// scheme, path_prefix, timeout, api_version v2, basic_auth, authorization, tls_config).
public struct AlertingConfig: Sendable, Equatable {
    public var alertmanagers: [AlertmanagerConfig] = []
    /// On-call webhooks that get Alertmanager's webhook payload directly.
    public var webhooks: [WebhookConfig] = []
    /// `alert_relabel_configs`, kept as YAML nodes for the relabeler to read (the scrape module owns relabeling).
    public var hasAlertRelabeling = false

    public init() {}

    public init(reading node: ConfigNode, relabel: (ConfigNode) -> Void) {
        guard let m = node.mapping(allowed: ["alertmanagers", "alert_relabel_configs", "webhooks"]) else { return }
        alertmanagers = (m["alertmanagers"]?.list ?? []).compactMap(AlertmanagerConfig.init(reading:))
        webhooks = (m["webhooks"]?.list ?? []).enumerated().compactMap { WebhookConfig(reading: $1, index: $0) }
        if let r = m["alert_relabel_configs"] {
            hasAlertRelabeling = true
            relabel(r)
        }
    }
}

/// One `alertmanagers` entry: every target gets every alert.
public struct AlertmanagerConfig: Sendable, Equatable {
    public var targets: [String] = []
    public var scheme = "http"
    public var pathPrefix = ""
    public var timeoutMs: Int64 = 10_000
    public var basicAuth: (username: String, password: String)? = nil
    public var bearerToken: String? = nil
    public var caFile: String? = nil
    public var insecureSkipVerify = false

    public init(targets: [String], scheme: String = "http", pathPrefix: String = "") {
        self.targets = targets
        self.scheme = scheme
        self.pathPrefix = pathPrefix
    }

    /// The URLs alerts are posted to: `<scheme>://<target><path_prefix>/api/v2/alerts`.
    public var urls: [String] {
        let prefix = pathPrefix.hasSuffix("/") ? String(pathPrefix.dropLast()) : pathPrefix
        return targets.map { "\(scheme)://\($0)\(prefix)/api/v2/alerts" }
    }

    init?(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["static_configs", "scheme", "path_prefix", "timeout", "api_version", "basic_auth",
                                              "authorization", "tls_config", "follow_redirects", "enable_http2"]) else { return nil }
        for sc in m["static_configs"]?.list ?? [] {
            guard let scm = sc.mapping(allowed: ["targets", "labels"]) else { continue }
            targets += scm["targets"]?.stringList ?? []
        }
        if let s = m["scheme"]?.string {
            if s == "http" || s == "https" { scheme = s } else { m["scheme"]?.fail("scheme must be http or https, got \"\(s)\"") }
        }
        pathPrefix = m["path_prefix"]?.string ?? ""
        if let d = m["timeout"]?.nonZeroDuration { timeoutMs = d.milliseconds }
        if let v = m["api_version"]?.string, v != "v2" { m["api_version"]?.fail("only api_version v2 is supported (Alertmanager removed v1), got \"\(v)\"") }
        if let b = m["basic_auth"]?.mapping(allowed: ["username", "password", "password_file"]) {
            var password = b["password"]?.string ?? ""
            if let f = b["password_file"]?.string {
                if let text = readTextFile(node.document.resolvePath(f)) { password = text.trimmingCharacters(in: .newlines) } else { b["password_file"]?.fail("cannot read \(f)") }
            }
            basicAuth = (b["username"]?.string ?? "", password)
        }
        if let a = m["authorization"]?.mapping(allowed: ["type", "credentials", "credentials_file"]) {
            if let c = a["credentials"]?.string { bearerToken = c }
            if let f = a["credentials_file"]?.string {
                if let text = readTextFile(node.document.resolvePath(f)) { bearerToken = text.trimmingCharacters(in: .newlines) } else { a["credentials_file"]?.fail("cannot read \(f)") }
            }
        }
        if let t = m["tls_config"]?.mapping(allowed: ["ca_file", "insecure_skip_verify", "server_name", "cert_file", "key_file"]) {
            caFile = t["ca_file"]?.string.map(node.document.resolvePath)
            if let ca = caFile, readTextFile(ca) == nil { t["ca_file"]?.fail("cannot read CA file \(ca)") }
            insecureSkipVerify = t["insecure_skip_verify"]?.bool ?? false
        }
        if targets.isEmpty { node.fail("an alertmanagers entry needs at least one target in static_configs") }
    }

    public static func == (a: AlertmanagerConfig, b: AlertmanagerConfig) -> Bool {
        a.targets == b.targets && a.scheme == b.scheme && a.pathPrefix == b.pathPrefix && a.timeoutMs == b.timeoutMs
            && a.basicAuth?.username == b.basicAuth?.username && a.basicAuth?.password == b.basicAuth?.password
            && a.bearerToken == b.bearerToken && a.caFile == b.caFile && a.insecureSkipVerify == b.insecureSkipVerify
    }
}

extension String {
    func trimmingCharacters(in set: Set<Character>) -> String {
        var s = Substring(self)
        while let l = s.last, set.contains(l) { s = s.dropLast() }
        return String(s)
    }
}

extension Set where Element == Character {
    static let newlines: Set<Character> = ["\n", "\r", "\r\n"]
}
