import Foundation
import NIOSSL

/// A CA and a server certificate for 127.0.0.1 signed by it, made with the openssl command.
public enum TestCertificates {
    public static func make(in dir: String, subjectAltName: String = "IP:127.0.0.1,DNS:localhost") throws {
        let steps = [
            ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "1", "-subj", "/CN=Scalewatch Test CA"],
            ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"],
            ["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "1", "-extfile", "ext.cnf"],
        ]
        try "subjectAltName=\(subjectAltName)\n".write(toFile: dir + "/ext.cnf", atomically: true, encoding: .utf8)
        for args in steps {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
            p.arguments = args
            p.currentDirectoryURL = URL(fileURLWithPath: dir)
            p.standardError = FileHandle.nullDevice
            p.standardOutput = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw CertificateError(step: args.joined(separator: " ")) }
        }
    }

    public struct CertificateError: Error { public let step: String }

    /// A TLS 1.2+ server configuration with the server certificate and key `make` wrote in `dir`.
    public static func serverTLS(in dir: String) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(dir + "/server.crt").map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: dir + "/server.key", format: .pem)))
        tls.minimumTLSVersion = .tlsv12
        return tls
    }
}
