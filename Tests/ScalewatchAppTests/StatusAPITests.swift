import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import TSDB

/// Status, format_query, parse_query and the query limits, answered as Prometheus answers them.
@Suite struct StatusAPITests {
    static func app(_ storage: Storage?) -> some ApplicationProtocol {
        var status = ServerStatus()
        status.configYAML = "global:\n  scrape_interval: 15s\n"
        status.startTimeMs = 1_795_900_000_123
        status.lastConfigTimeMs = 1_795_900_001_000
        status.storageRetention = "1d"
        status.flags = ["query.timeout": "2m"]
        let fixed = status
        let context = ServerContext(storage: { storage }, metrics: { nil }, scrapePools: { [] }, externalLabels: { [:] },
                                    reload: { nil }, now: { 1_000_000 }, status: { fixed })
        return Application(router: ServerRoutes.router(context))
    }

    static func body(_ client: some TestClientProtocol, _ uri: String, _ check: @escaping (Int, String) -> Void) async throws {
        try await client.execute(uri: uri, method: .get) { response in check(Int(response.status.code), String(buffer: response.body)) }
    }

    @Test func statusEndpoints() async throws {
        try await Self.app(nil).test(.router) { client in
            try await Self.body(client, "/api/v1/status/config") { code, body in
                #expect(code == 200)
                #expect(body == #"{"status":"success","data":{"yaml":"global:\n  scrape_interval: 15s\n"}}"#)
            }
            try await Self.body(client, "/api/v1/status/flags") { _, body in
                #expect(body == #"{"status":"success","data":{"query.timeout":"2m"}}"#)
            }
            try await Self.body(client, "/api/v1/status/runtimeinfo") { _, body in
                #expect(body.contains(#""startTime":"2026-11-28T21:06:40.123Z""#), "\(body)")
                #expect(body.contains(#""reloadConfigSuccess":true"#) && body.contains(#""storageRetention":"1d""#))
            }
            try await Self.body(client, "/api/v1/status/buildinfo") { _, body in
                #expect(body.contains(#""version":"2.42.0""#))
            }
        }
    }

    @Test func formatAndParseQuery() async throws {
        try await Self.app(nil).test(.router) { client in
            let q = "sum(rate(x{a=\"b\"}[5m] offset 1m))by(job)>bool on(job)group_left(c)y"
            let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            try await Self.body(client, "/api/v1/format_query?query=\(encoded)") { code, body in
                #expect(code == 200)
                #expect(body == #"{"status":"success","data":"sum by (job) (rate(x{a=\"b\"}[5m] offset 1m)) > bool on (job) group_left (c) y"}"#, "\(body)")
            }
            try await Self.body(client, "/api/v1/parse_query?query=\("-x[1m:]@end()".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)") { _, body in
                #expect(body == #"{"status":"success","data":{"expr":{"expr":{"matchers":[{"name":"__name__","type":"=","value":"x"}],"name":"x","offset":0,"startOrEnd":null,"timestamp":null,"type":"vectorSelector"},"offset":0,"range":60000,"startOrEnd":"end","step":0,"timestamp":null,"type":"subquery"},"op":"-","type":"unaryExpr"}}"#, "\(body)")
            }
            try await Self.body(client, "/api/v1/parse_query?query=rate(x%5B5m%5D)%20*%202") { _, body in
                #expect(body.contains(#""func":{"argTypes":["matrix"],"name":"rate","returnType":"vector","variadic":0}"#), "\(body)")
                #expect(body.contains(#""matching":null"#))
            }
            try await Self.body(client, "/api/v1/format_query?query=sum(") { code, body in
                #expect(code == 400)
                #expect(body.hasPrefix(#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": "#), "\(body)")
            }
        }
    }

    @Test func timeoutAnswers503AndLabelWindowsNarrow() async throws {
        let storage = try Storage(options: StorageOptions())
        let app = storage.appender()
        for i in 0..<2_000 {
            try app.append(Labels(["__name__": "x", "i": String(i)]), 500_000 + Int64(i % 2) * 300_000, Double(i))
        }
        app.commit()
        try await Self.app(storage).test(.router) { client in
            // 2,000 series over 10,000 steps cannot finish in a millisecond.
            try await Self.body(client, "/api/v1/query_range?query=sum(rate(x%5B5m%5D))&start=0&end=10000&step=1&timeout=1ms") { code, body in
                #expect(code == 503)
                #expect(body == #"{"status":"error","errorType":"timeout","error":"query timed out in query execution"}"#)
            }
            try await Self.body(client, "/api/v1/query?query=x&timeout=soon") { code, _ in #expect(code == 400) }
            // Annotations ride along with the data, as Prometheus 3 sends them.
            try await Self.body(client, "/api/v1/query?query=quantile(2%2C%20x)%20%2B%20rate(x%5B10m%5D)&time=900") { code, body in
                #expect(code == 200)
                #expect(body.hasSuffix(#"]},"warnings":["PromQL warning: quantile value should be between 0 and 1, got 2"],"infos":["PromQL info: metric might not be a counter, name does not end in _total/_sum/_count/_bucket: \"x\""]}"#), "\(body)")
            }
            // Series with samples in [700, 900] s only: the odd ones.
            try await Self.body(client, "/api/v1/label/i/values?start=700&end=900&limit=3") { _, body in
                #expect(body == #"{"status":"success","data":["1","1001","1003"]}"#, "\(body)")
            }
            try await Self.body(client, "/api/v1/labels?start=700&end=900") { _, body in
                #expect(body == #"{"status":"success","data":["__name__","i"]}"#)
            }
            try await Self.body(client, "/api/v1/label/i/values?start=2000") { _, body in
                #expect(body == #"{"status":"success","data":[]}"#)
            }
        }
    }

    @Test func recommendationsAreListedAndFilteredByPolicy() async throws {
        let context = ServerContext(storage: { nil }, metrics: { nil }, scrapePools: { [] }, externalLabels: { [:] }, reload: { nil }, now: { 0 },
                                    recommendations: { [("llama", #"{"policy":"llama","replicas":4}"#), ("mixtral", #"{"policy":"mixtral","replicas":2}"#)] })
        try await Application(router: ServerRoutes.router(context)).test(.router) { client in
            try await Self.body(client, "/api/v1/recommendations") { code, body in
                #expect(code == 200 && body == #"{"status":"success","data":[{"policy":"llama","replicas":4},{"policy":"mixtral","replicas":2}]}"#)
            }
            try await Self.body(client, "/api/v1/recommendations?policy=mixtral") { _, body in
                #expect(body == #"{"status":"success","data":[{"policy":"mixtral","replicas":2}]}"#)
            }
        }
    }
}
