import ConfigSupport
import Scrape

/// One `remote_write` entry, in Prometheus's shape and with its 2.42 defaults.
public struct RemoteWriteConfig: Sendable, Equatable {
    public var url: String
    public var name = ""
    public var remoteTimeout = ConfigDuration(milliseconds: 30_000)
    public var headers: [String: String] = [:]
    public var authorization: AuthorizationConfig? = nil
    public var basicAuth: BasicAuthConfig? = nil
    public var tls = TLSSettings()
    public var writeRelabelConfigs: [RelabelConfig] = []
    public var queue = QueueConfig()

    /// `queue_config`.
    public struct QueueConfig: Sendable, Equatable {
        /// Samples each shard holds while the endpoint is slow or down.
        public var capacity = 2500
        public var minShards = 1
        public var maxShards = 200
        public var maxSamplesPerSend = 500
        public var batchSendDeadline = ConfigDuration(milliseconds: 5000)
        public var minBackoff = ConfigDuration(milliseconds: 30)
        public var maxBackoff = ConfigDuration(milliseconds: 5000)
        public var retryOnHTTP429 = false
        public init() {}
    }

    public init(url: String) { self.url = url }

    static let keys: Set<String> = [
        "url", "name", "remote_timeout", "headers", "authorization", "basic_auth", "tls_config", "write_relabel_configs", "queue_config",
    ]

    public init?(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: Self.keys) else { return nil }
        url = m.require("url")?.string ?? ""
        if !url.isEmpty, !(url.hasPrefix("http://") || url.hasPrefix("https://")) {
            m["url"]?.fail("url must be an http or https URL, got \"\(url)\"")
        }
        name = m["name"]?.string ?? ""
        if let d = m["remote_timeout"]?.nonZeroDuration { remoteTimeout = d }
        for (k, v, child) in m["headers"]?.stringMap ?? [] {
            let reserved = ["host", "authorization", "content-encoding", "content-type", "x-prometheus-remote-write-version", "user-agent", "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "www-authenticate"]
            if reserved.contains(k.lowercased()) { child.fail("\(k) is a reserved header. It must not be changed") } else { headers[k] = v }
        }
        authorization = m["authorization"].flatMap(AuthorizationConfig.init(reading:))
        basicAuth = m["basic_auth"].flatMap(BasicAuthConfig.init(reading:))
        if authorization != nil && basicAuth != nil { node.fail("at most one of basic_auth, oauth2 & authorization must be configured") }
        if let t = m["tls_config"] { tls = TLSSettings(reading: t) }
        writeRelabelConfigs = (m["write_relabel_configs"]?.list ?? []).compactMap(RelabelConfig.init(reading:))
        if let q = m["queue_config"]?.mapping(allowed: [
            "capacity", "min_shards", "max_shards", "max_samples_per_send", "batch_send_deadline", "min_backoff", "max_backoff", "retry_on_http_429",
        ]) {
            for (key, path) in [("capacity", \QueueConfig.capacity), ("min_shards", \.minShards), ("max_shards", \.maxShards),
                                ("max_samples_per_send", \.maxSamplesPerSend)] {
                guard let n = q[key], let v = n.int else { continue }
                if v <= 0 { n.fail("must be greater than 0") } else { queue[keyPath: path] = v }
            }
            if let d = q["batch_send_deadline"]?.nonZeroDuration { queue.batchSendDeadline = d }
            if let d = q["min_backoff"]?.nonZeroDuration { queue.minBackoff = d }
            if let d = q["max_backoff"]?.nonZeroDuration { queue.maxBackoff = d }
            if let b = q["retry_on_http_429"]?.bool { queue.retryOnHTTP429 = b }
            if queue.minShards > queue.maxShards { (q["min_shards"] ?? node).fail("min_shards (\(queue.minShards)) must not exceed max_shards (\(queue.maxShards))") }
        }
    }
}
