import Remote
import TSDB

/// Stores and request bodies for the remote read and write benchmarks.
enum RemoteWorkloads {
    /// 1,000 series × 1,000 samples at 15 s of counter-like data.
    static func store() throws -> Storage {
        let storage = try Storage(options: StorageOptions(retentionMs: 1 << 50))
        let app = storage.appender()
        for s in 0..<1000 {
            let labels = Labels(["__name__": "vllm:request_success_total", "instance": "pod-\(s)", "job": "vllm"])
            var v = 0.0
            for i in 0..<1000 {
                v += Double(i % 7)
                try app.append(labels, Int64(i) * 15_000, v)
            }
        }
        app.commit()
        return storage
    }

    static func readBody(_ type: Prometheus_ReadRequest.ResponseType) throws -> [UInt8] {
        var m = Prometheus_LabelMatcher()
        m.type = .eq
        m.name = "job"
        m.value = "vllm"
        var q = Prometheus_Query()
        q.startTimestampMs = 0
        q.endTimestampMs = 1000 * 15_000
        q.matchers = [m]
        var r = Prometheus_ReadRequest()
        r.queries = [q]
        r.acceptedResponseTypes = [type]
        return Snappy.compress(try r.serializedBytes() as [UInt8])
    }

    /// Request `batch`: 1,000 series × 100 samples after those of earlier batches.
    static func writeBody(batch: Int) throws -> [UInt8] {
        var request = Prometheus_WriteRequest()
        for s in 0..<1000 {
            var ts = Prometheus_TimeSeries()
            for (k, v) in [("__name__", "vllm:num_requests_running"), ("instance", "pod-\(s)"), ("job", "vllm")] {
                var l = Prometheus_Label()
                l.name = k
                l.value = v
                ts.labels.append(l)
            }
            for i in 0..<100 {
                var sample = Prometheus_Sample()
                sample.timestamp = Int64(batch * 100 + i) * 15_000
                sample.value = Double((s + i) % 48)
                ts.samples.append(sample)
            }
            request.timeseries.append(ts)
        }
        return Snappy.compress(try request.serializedBytes() as [UInt8])
    }
}
