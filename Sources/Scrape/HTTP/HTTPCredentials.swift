import NIOSSL

#if canImport(Glibc)
import Glibc
#endif

/// Credentials and TLS settings of a config section, as headers and a TLS configuration; secrets
/// in files are read on every call, so rotated tokens take effect at the next request.
public enum HTTPCredentials {
    public static func authorizationHeader(authorization: AuthorizationConfig?, basicAuth: BasicAuthConfig?) throws(ScrapeFailure) -> String? {
        if let auth = authorization {
            let secret: String
            if let file = auth.credentialsFile {
                secret = try readSecret(file)
            } else {
                secret = auth.credentials ?? ""
            }
            return secret.isEmpty ? nil : "\(auth.type) \(secret)"
        }
        if let basic = basicAuth {
            let password = try basic.passwordFile.map { (f) throws(ScrapeFailure) -> String in try readSecret(f) } ?? basic.password ?? ""
            return "Basic " + base64(Array("\(basic.username):\(password)".utf8))
        }
        return nil
    }

    /// A credentials file's content with surrounding whitespace trimmed, as Prometheus reads it.
    static func readSecret(_ path: String) throws(ScrapeFailure) -> String {
        guard let f = fopen(path, "rb") else {
            throw .credentials("unable to read credentials file \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(f) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = fread(&buffer, 1, buffer.count, f)
            bytes.append(contentsOf: buffer[0..<n])
            if n < buffer.count { break }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        return String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    public static func tlsConfiguration(_ tls: TLSSettings) throws(ScrapeFailure) -> TLSConfiguration {
        var c = TLSConfiguration.makeClientConfiguration()
        do {
            if let ca = tls.caFile { c.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(ca)) }
            if let cert = tls.certFile, let key = tls.keyFile {
                c.certificateChain = try NIOSSLCertificate.fromPEMFile(cert).map { .certificate($0) }
                c.privateKey = .privateKey(try NIOSSLPrivateKey(file: key, format: .pem))
            }
        } catch {
            throw .credentials("unable to load TLS files: \(error)")
        }
        if tls.insecureSkipVerify { c.certificateVerification = .none }
        return c
    }
}
