import Foundation
import Hummingbird
import HummingbirdTesting
import Prometheus
import Scrape
import Server
import Synchronization
import Testing
import TSDB

@Suite struct ServerRoutesTests {
    static func context(_ storage: Storage?, external: [String: String] = [:], now: Int64 = 1_000_000) -> ServerContext {
        let metrics = storage.map { SelfMetrics(registry: PrometheusCollectorRegistry(), storage: $0) }
        return ServerContext(
            storage: { storage }, metrics: { metrics }, scrapePools: { [] }, externalLabels: { external },
            reload: { "no config file" }, now: { now })
    }

    static func store() throws -> Storage {
        let storage = try Storage(options: StorageOptions())
        let app = storage.appender()
        try app.append(Labels(["__name__": "up", "job": "kueue", "instance": "a:8443"]), 990_000, 1)
        try app.append(Labels(["__name__": "up", "job": "vllm", "instance": "b:8000"]), 995_000, 0)
        try app.append(Labels(["__name__": "kueue_pending_workloads", "cluster_queue": "team-a-cq", "status": "active", "job": "kueue"]), 996_000, 3)
        // A series that ended (stale marker) and one older than the 5m lookback are left out.
        let gone = Labels(["__name__": "up", "job": "gone", "instance": "c:1"])
        try app.append(gone, 980_000, 1)
        try app.append(gone, 985_000, StalenessMarker.value)
        try app.append(Labels(["__name__": "up", "job": "old", "instance": "d:1"]), 600_000, 1)
        app.commit()
        return storage
    }

    @Test func federateFollowsPrometheus() async throws {
        let app = Application(router: ServerRoutes.router(Self.context(try Self.store(), external: ["cluster": "gpu-east"])))
        try await app.test(.router) { client in
            try await client.execute(uri: "/federate?match%5B%5D=up&match[]=%7Bcluster_queue%3D%22team-a-cq%22%7D", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(String(buffer: response.body) == """
                    # TYPE kueue_pending_workloads untyped
                    kueue_pending_workloads{cluster_queue="team-a-cq",job="kueue",status="active",cluster="gpu-east",instance=""} 3 996000
                    # TYPE up untyped
                    up{instance="a:8443",job="kueue",cluster="gpu-east"} 1 990000
                    up{instance="b:8000",job="vllm",cluster="gpu-east"} 0 995000

                    """)
            }
            try await client.execute(uri: "/federate?match[]=up", method: .get, headers: [.acceptEncoding: "gzip"]) { response in
                #expect(response.headers[.contentEncoding] == "gzip")
                #expect(Array(response.body.readableBytesView.prefix(2)) == [0x1f, 0x8b])
            }
            try await client.execute(uri: "/federate?match[]=%7Bjob%3D~%22.*%22%7D", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("at least one non-empty matcher"))
            }
        }
    }

    @Test func readinessFollowsTheStore() async throws {
        let opened = Mutex<Storage?>(nil)
        let context = ServerContext(
            storage: { opened.withLock { $0 } }, metrics: { nil }, scrapePools: { [] }, externalLabels: { [:] },
            reload: { nil }, now: { 0 })
        let app = Application(router: ServerRoutes.router(context))
        try await app.test(.router) { client in
            try await client.execute(uri: "/-/healthy", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/-/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/federate?match[]=up", method: .get) { #expect($0.status == .serviceUnavailable) }
            let storage = try Storage(options: StorageOptions())
            opened.withLock { $0 = storage }
            try await client.execute(uri: "/-/ready", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func metricsExposeTheStore() async throws {
        let storage = try Self.store()
        let app = Application(router: ServerRoutes.router(Self.context(storage)))
        try await app.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                let text = String(buffer: response.body)
                #expect(text.contains("scalewatch_tsdb_head_series 5"), "\(text)")
                #expect(text.contains("scalewatch_tsdb_samples_appended_total 6"))
                #expect(text.contains("scalewatch_tsdb_chunk_bytes "))
                #expect(text.contains("scalewatch_tsdb_wal_bytes 0"))
                #expect(text.contains("scalewatch_memory_bytes{component=\"tsdb_chunks\"}"))
            }
            try await client.execute(uri: "/-/reload", method: .post) { response in
                #expect(response.status == .internalServerError)
                #expect(String(buffer: response.body) == "failed to reload config: no config file\n")
            }
        }
    }

    @Test func queryAPIAnswersInPrometheusJSON() async throws {
        let app = Application(router: ServerRoutes.router(Self.context(try Self.store())))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/query?query=1%2B1&time=1000", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":{"resultType":"scalar","result":[1000,"2"]}}"#)
            }
            try await client.execute(uri: "/api/v1/query?query=up%7Bjob%3D%22kueue%22%7D&time=1000.5", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"__name__":"up","instance":"a:8443","job":"kueue"},"value":[1000.500,"1"]}]}}"#)
            }
            // Timestamps as Prometheus's MarshalTimestamp writes them: all three decimals, and a
            // negative time as its sign and magnitude (Prometheus 2.42 answers "[1000.500," too).
            try await client.execute(uri: "/api/v1/query?query=1&time=-0.001", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":{"resultType":"scalar","result":[-0.001,"1"]}}"#)
            }
            try await client.execute(uri: "/api/v1/query_range?query=up%7Bjob%3D%22kueue%22%7D&start=990&end=1000&step=5s", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{"__name__":"up","instance":"a:8443","job":"kueue"},"values":[[990,"1"],[995,"1"],[1000,"1"]]}]}}"#)
            }
            try await client.execute(uri: "/api/v1/query?query=sum(up", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body) == #"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:7: parse error: unexpected end of input, expected \")\""}"#)
            }
            try await client.execute(uri: "/api/v1/query_range?query=up&start=0&end=100000&step=1", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains("exceeded maximum resolution of 11,000 points per timeseries"))
            }
        }
        #expect(QueryAPI.formatValue(1e6) == "1000000")
        #expect(QueryAPI.formatValue(1e-7) == "0.0000001")
        #expect(QueryAPI.formatValue(0.1 + 0.2) == "0.30000000000000004")
        #expect(QueryAPI.formatValue(-2.5e21) == "-2500000000000000000000")
        #expect([Double.nan, .infinity, -.infinity].map(QueryAPI.formatValue) == ["NaN", "+Inf", "-Inf"])
    }

    @Test func labelsValuesAndSeriesFollowPrometheus() async throws {
        let app = Application(router: ServerRoutes.router(Self.context(try Self.store())))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/labels", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":["__name__","cluster_queue","instance","job","status"]}"#)
            }
            try await client.execute(uri: "/api/v1/label/job/values?match[]=up", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":["gone","kueue","old","vllm"]}"#)
            }
            try await client.execute(uri: "/api/v1/label/job/values?limit=2", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":["gone","kueue"]}"#)
            }
            try await client.execute(uri: "/api/v1/series?match[]=%7Bjob%3D%22kueue%22%7D", method: .get) { response in
                #expect(String(buffer: response.body) == #"{"status":"success","data":[{"__name__":"kueue_pending_workloads","cluster_queue":"team-a-cq","job":"kueue","status":"active"},{"__name__":"up","instance":"a:8443","job":"kueue"}]}"#)
            }
            try await client.execute(uri: "/api/v1/series", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body) == #"{"status":"error","errorType":"bad_data","error":"no match[] parameter provided"}"#)
            }
        }
    }
}
