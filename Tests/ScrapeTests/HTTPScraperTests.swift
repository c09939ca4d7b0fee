import ConfigSupport
import Exposition
import Foundation
import Hummingbird
import NIOSSL
import Scrape
import Server
import Synchronization
import Testing
import TestSupport

/// Scrapes over real loopback HTTP(S), checking what Prometheus's scraper does on the wire.
@Suite struct HTTPScraperTests {
    static func target(_ port: Int, _ config: ScrapeConfig, scheme: String = "http") throws -> ScrapeTarget {
        var c = config
        c.scheme = scheme
        return try #require(try TargetBuilder.build(address: "127.0.0.1:\(port)", group: TargetGroup(targets: [], source: "test"), config: c))
    }

    static func job(timeout: Int64 = 1500) -> ScrapeConfig {
        var c = ScrapeConfig(jobName: "test")
        c.scrapeInterval = ConfigDuration(milliseconds: 5000)
        c.scrapeTimeout = ConfigDuration(milliseconds: timeout)
        return c
    }

    @Test func sendsPrometheusHeadersAndReadsGzipOpenMetrics() async throws {
        let log = RequestLog()
        let body = "# TYPE m counter\nm_total 1\n# EOF\n"
        let server = try await TestTargetServer.start { request in
            log.record(request)
            let gz = try Gzip.compress(Array(body.utf8))
            return Response(status: .ok, headers: [.contentType: "application/openmetrics-text; version=1.0.0; charset=utf-8", .contentEncoding: "gzip"],
                            body: .init(byteBuffer: ByteBuffer(bytes: gz)))
        }
        let scraper = HTTPScraper()
        let config = Self.job()
        let result = try await scraper.scrape(try Self.target(server.port, config), config)
        #expect(String(decoding: result.bytes, as: UTF8.self) == body)
        #expect(result.format == .openMetrics)
        let headers = try #require(log.last)
        #expect(headers[.accept] == ExpositionFormat.scrapeAcceptHeader)
        #expect(headers[.acceptEncoding] == "gzip")
        #expect(headers.first { $0.name.canonicalName == "x-prometheus-scrape-timeout-seconds" }?.value == "1.5")
        var plain = config
        plain.enableCompression = false
        _ = try await scraper.scrape(try Self.target(server.port, plain), plain)
        #expect(log.last?[.acceptEncoding] == "identity")
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func paramsReachTheTargetDecodedOnce() async throws {
        let queries = Mutex<[String]>([])
        let server = try await TestTargetServer.start { request in
            queries.withLock { $0.append(request.uri.query ?? "") }
            return TestTargetServer.text("m 1\n")
        }
        let scraper = HTTPScraper()
        var config = Self.job()
        config.params = ["match[]": [#"{job="kueue"}"#], "module": ["http 2xx"]]
        _ = try await scraper.scrape(try Self.target(server.port, config), config)
        let query = try #require(queries.withLock { $0.last })
        #expect(FormValues(query).all("match[]") == [#"{job="kueue"}"#], "\(query)")
        #expect(FormValues(query).first("module") == "http 2xx")
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func onlyStatus200Counts() async throws {
        let server = try await TestTargetServer.start { _ in TestTargetServer.text("m 1\n", status: .serviceUnavailable) }
        let scraper = HTTPScraper()
        let config = Self.job()
        await #expect(throws: ScrapeFailure.status(code: 503, reason: "Service Unavailable")) {
            _ = try await scraper.scrape(try Self.target(server.port, config), config)
        }
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func aHangingTargetTimesOutOnTime() async throws {
        // The target would answer after 10 s; the 300 ms timeout must end the scrape long before
        // (the bound leaves room for a CI machine busy with the other tests).
        let server = try await TestTargetServer.start { _ in
            try await Task.sleep(for: .seconds(10))
            return TestTargetServer.text("m 1\n")
        }
        let scraper = HTTPScraper()
        let config = Self.job(timeout: 300)
        let clock = ContinuousClock()
        let target = try Self.target(server.port, config)
        let began = clock.now
        do throws(ScrapeFailure) {
            _ = try await scraper.scrape(target, config)
            Issue.record("a hanging target must time out")
        } catch {
            #expect(error.description.contains("deadline exceeded"), "\(error)")
        }
        #expect(clock.now - began < .seconds(8))
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func bodySizeLimitAppliesToTheUncompressedBody() async throws {
        let big = String(repeating: "m{a=\"b\"} 1\n", count: 1000)
        let server = try await TestTargetServer.start { _ in
            Response(status: .ok, headers: [.contentType: "text/plain", .contentEncoding: "gzip"],
                     body: .init(byteBuffer: ByteBuffer(bytes: try Gzip.compress(Array(big.utf8)))))
        }
        let scraper = HTTPScraper()
        var config = Self.job()
        config.limits.bodySizeLimit = 4096
        await #expect(throws: ScrapeFailure.bodyTooLarge(limit: 4096)) {
            _ = try await scraper.scrape(try Self.target(server.port, config), config)
        }
        config.limits.bodySizeLimit = 1 << 20
        #expect(try await scraper.scrape(try Self.target(server.port, config), config).bytes.count == big.utf8.count)
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func bearerTokenIsReadFromItsFileEachScrapeAndBasicAuthIsSent() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        let tokenFile = dir.path + "/token"
        try "first\n".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        let log = RequestLog()
        let server = try await TestTargetServer.start { request in
            log.record(request)
            return TestTargetServer.text("m 1\n")
        }
        let scraper = HTTPScraper()
        var config = Self.job()
        config.authorization = AuthorizationConfig(type: "Bearer", credentials: nil, credentialsFile: tokenFile)
        _ = try await scraper.scrape(try Self.target(server.port, config), config)
        #expect(log.last?[.authorization] == "Bearer first")
        try "rotated".write(toFile: tokenFile, atomically: true, encoding: .utf8)
        _ = try await scraper.scrape(try Self.target(server.port, config), config)
        #expect(log.last?[.authorization] == "Bearer rotated")
        config.authorization = nil
        config.basicAuth = BasicAuthConfig(username: "prom", password: "s3cret", passwordFile: nil)
        _ = try await scraper.scrape(try Self.target(server.port, config), config)
        #expect(log.last?[.authorization] == "Basic cHJvbTpzM2NyZXQ=")
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func tlsWithACAMadeHere() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        try TestCertificates.make(in: dir.path)
        let tls = try TestCertificates.serverTLS(in: dir.path)
        let server = try await TestTargetServer.start(tls: tls) { _ in TestTargetServer.text("secure 1\n") }
        let scraper = HTTPScraper()
        var config = Self.job()
        config.tls.caFile = dir.path + "/ca.crt"
        let body = try await scraper.scrape(try Self.target(server.port, config, scheme: "https"), config)
        #expect(String(decoding: body.bytes, as: UTF8.self) == "secure 1\n")
        // Without the CA the certificate is not trusted …
        var untrusted = Self.job()
        untrusted.scheme = "https"
        let untrustedTarget = try Self.target(server.port, untrusted, scheme: "https")
        do throws(ScrapeFailure) {
            _ = try await scraper.scrape(untrustedTarget, untrusted)
            Issue.record("an untrusted certificate must fail the scrape")
        } catch {
            #expect(error.description.contains("TLS"), "\(error)")
        }
        // … unless verification is switched off.
        untrusted.tls.insecureSkipVerify = true
        _ = try await scraper.scrape(try Self.target(server.port, untrusted, scheme: "https"), untrusted)
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func serverNameIsWhatTheCertificateIsCheckedAgainst() async throws {
        let dir = try Fixtures.temporaryDirectory()
        defer { dir.cleanup() }
        try TestCertificates.make(in: dir.path, subjectAltName: "DNS:kueue-metrics.kueue-system.svc")
        let tls = try TestCertificates.serverTLS(in: dir.path)
        let log = RequestLog()
        let server = try await TestTargetServer.start(tls: tls) { request in
            log.record(request)
            return TestTargetServer.text("kueue_build_info 1\n")
        }
        let scraper = HTTPScraper()
        var config = Self.job()
        config.tls.caFile = dir.path + "/ca.crt"
        let target = try Self.target(server.port, config, scheme: "https")
        // The certificate does not name 127.0.0.1 …
        do throws(ScrapeFailure) {
            _ = try await scraper.scrape(target, config)
            Issue.record("a certificate for another name must fail")
        } catch {
            #expect(error.description.contains("TLS"), "\(error)")
        }
        // … but it is valid for the server name the config gives.
        config.tls.serverName = "kueue-metrics.kueue-system.svc"
        let body = try await scraper.scrape(target, config)
        #expect(String(decoding: body.bytes, as: UTF8.self) == "kueue_build_info 1\n")
        try await scraper.shutdown()
        await server.stop()
    }

    @Test func aRefusedConnectionIsItsOwnError() async throws {
        let scraper = HTTPScraper()
        let config = Self.job()
        let target = try Self.target(1, config)
        do throws(ScrapeFailure) {
            _ = try await scraper.scrape(target, config)
            Issue.record("port 1 must refuse")
        } catch {
            #expect(error.description.contains("connection failed"), "\(error)")
        }
        try await scraper.shutdown()
    }
}
