import ConfigSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `authorization`: a credential sent as `Authorization: <type> <credentials>`.
public struct AuthorizationConfig: Sendable, Equatable {
    public var type = "Bearer"
    public var credentials: String? = nil
    public var credentialsFile: String? = nil

    public init(type: String = "Bearer", credentials: String? = nil, credentialsFile: String? = nil) {
        self.type = type
        self.credentials = credentials
        self.credentialsFile = credentialsFile
    }
}

/// `basic_auth`: username and password (or a file holding the password).
public struct BasicAuthConfig: Sendable, Equatable {
    public var username = ""
    public var password: String? = nil
    public var passwordFile: String? = nil

    public init(username: String = "", password: String? = nil, passwordFile: String? = nil) {
        self.username = username
        self.password = password
        self.passwordFile = passwordFile
    }
}

/// `tls_config` of a scrape job.
public struct TLSSettings: Sendable, Equatable {
    public var caFile: String? = nil
    public var certFile: String? = nil
    public var keyFile: String? = nil
    public var serverName: String? = nil
    public var insecureSkipVerify = false
    public init() {}
}

extension AuthorizationConfig {
    public init?(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["type", "credentials", "credentials_file"]) else { return nil }
        if let t = m["type"]?.string {
            if t.lowercased() == "basic" {
                m["type"]?.fail("authorization type cannot be set to \"basic\", use \"basic_auth\" instead")
            } else {
                type = t
            }
        }
        credentials = m["credentials"]?.string
        if let f = m["credentials_file"] {
            credentialsFile = f.string.map(node.document.resolvePath)
            if let path = credentialsFile { checkReadable(path, f) }
        }
        if credentials != nil && credentialsFile != nil {
            node.fail("at most one of authorization credentials & credentials_file must be configured")
        }
    }
}

extension BasicAuthConfig {
    public init?(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["username", "password", "password_file"]) else { return nil }
        username = m["username"]?.string ?? ""
        password = m["password"]?.string
        if let f = m["password_file"] {
            passwordFile = f.string.map(node.document.resolvePath)
            if let path = passwordFile { checkReadable(path, f) }
        }
        if password != nil && passwordFile != nil {
            node.fail("at most one of basic_auth password & password_file must be configured")
        }
    }
}

extension TLSSettings {
    public init(reading node: ConfigNode) {
        guard let m = node.mapping(allowed: ["ca_file", "cert_file", "key_file", "server_name", "insecure_skip_verify"]) else { return }
        for (key, path) in [("ca_file", \TLSSettings.caFile), ("cert_file", \.certFile), ("key_file", \.keyFile)] {
            if let n = m[key], let value = n.string {
                let resolved = node.document.resolvePath(value)
                self[keyPath: path] = resolved
                checkReadable(resolved, n)
            }
        }
        serverName = m["server_name"]?.string
        if let b = m["insecure_skip_verify"]?.bool { insecureSkipVerify = b }
        if let cert = certFile, keyFile == nil { node.fail("client cert file \"\(cert)\" specified without client key file") }
        if let key = keyFile, certFile == nil { node.fail("client key file \"\(key)\" specified without client cert file") }
    }
}

/// Reports `path` when it cannot be opened for reading.
func checkReadable(_ path: String, _ node: ConfigNode) {
    if access(path, R_OK) != 0 {
        node.fail("cannot read file \"\(path)\": \(String(cString: strerror(errno)))")
    }
}
