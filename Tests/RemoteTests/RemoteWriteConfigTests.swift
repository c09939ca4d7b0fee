import ConfigSupport
@testable import Remote
import Testing

@Suite struct RemoteWriteConfigTests {
    @Test func defaultsAreThoseOfPrometheus() throws {
        let doc = ConfigDocument(file: "rw.yml", text: "url: https://mimir.example.com/api/v1/push\n")
        let config = try #require(RemoteWriteConfig(reading: doc.rootNode))
        try doc.check()
        #expect(config.remoteTimeout.description == "30s")
        #expect(config.queue.capacity == 2500)
        #expect(config.queue.maxShards == 200)
        #expect(config.queue.minShards == 1)
        #expect(config.queue.maxSamplesPerSend == 500)
        #expect(config.queue.batchSendDeadline.description == "5s")
        #expect(config.queue.minBackoff.description == "30ms")
        #expect(config.queue.maxBackoff.description == "5s")
        #expect(!config.queue.retryOnHTTP429)
    }

    @Test func badEntriesNameTheirKey() {
        let doc = ConfigDocument(file: "rw.yml", text: """
            url: mimir:9009
            headers: {Authorization: secret, X-Scope-OrgID: team-a}
            queue_config: {min_shards: 5, max_shards: 2, capacity: 0, speed: fast}
            """)
        _ = RemoteWriteConfig(reading: doc.rootNode)
        let text = doc.issues.map(\.description)
        for expected in [
            "rw.yml:1:6: url: url must be an http or https URL",
            "rw.yml:2:26: headers.Authorization: Authorization is a reserved header",
            "rw.yml:3:56: queue_config.capacity: must be greater than 0",
            "rw.yml:3:59: queue_config.speed: unknown key",
            "queue_config.min_shards: min_shards (5) must not exceed max_shards (2)",
        ] {
            #expect(text.contains { $0.contains(expected) }, "\(expected) in \(text)")
        }
    }

    @Test func serverNameRoutesThroughADNSOverride() {
        let routed = RemoteWriteQueue.route("https://10.0.0.5:9009/api/v1/push", serverName: "mimir.monitoring.svc")
        #expect(routed.url == "https://mimir.monitoring.svc:9009/api/v1/push")
        #expect(routed.override?.0 == "mimir.monitoring.svc" && routed.override?.1 == "10.0.0.5")
        #expect(RemoteWriteQueue.route("http://10.0.0.5:9009/x", serverName: "a").override == nil)
    }
}
