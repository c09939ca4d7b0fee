import ConfigSupport

/// The `web` section: where the HTTP server listens and the URL users reach it by.
public struct WebSection: Sendable, Equatable {
    public var listenAddress = "0.0.0.0:9090"
    /// The URL Scalewatch is reached by (links in alerts); default `http://<host>:<port>/`.
    public var externalURL: String? = nil

    public init() {}

    init(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["listen_address", "external_url"]) else { return }
        if let n = m["listen_address"], let a = n.string {
            if HostPort(a) == nil { n.fail("listen_address must be host:port, got \"\(a)\"") } else { listenAddress = a }
        }
        if let n = m["external_url"], let u = n.string {
            if u.hasPrefix("http://") || u.hasPrefix("https://") { externalURL = u } else { n.fail("external_url must be an http or https URL, got \"\(u)\"") }
        }
    }
}

/// `host:port` split, with `[::1]:9090` for IPv6.
public struct HostPort: Sendable, Equatable {
    public var host: String
    public var port: Int

    public init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else { return nil }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }
}
