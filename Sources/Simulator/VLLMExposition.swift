import Exposition

/// One simulated vLLM server's `/metrics` (vLLM v1 engine names: `vllm:` prefix, `engine` and
/// `model_name` labels, Python-style float formatting).
enum VLLMExposition {
    static func render(_ m: ModelServerSim, replica r: Int) -> [UInt8] {
        var w = ExpositionWriter(format: .prometheusText, capacity: 8192)
        let c = m.replicaCounters[r]
        let base = [("engine", "0"), ("model_name", m.spec.name)]
        let replicas = Double(max(1, m.replicaCounters.count))
        func gauge(_ name: String, _ help: String, _ v: Double) {
            w.writeHelp(name, help)
            w.writeType(name, .gauge)
            w.writeSample(name, labels: base, value: v)
        }
        func counter(_ name: String, _ help: String, _ v: Double) {
            w.writeHelp(name, help)
            w.writeType(name, .counter)
            w.writeSample(name, labels: base, value: v.rounded(.down))
        }
        let running = (m.running / replicas).rounded()
        gauge("vllm:num_requests_running", "Number of requests in model execution batches.", running)
        gauge("vllm:num_requests_waiting", "Number of requests waiting to be processed.", (m.backlog / replicas).rounded())
        gauge("vllm:kv_cache_usage_perc", "KV-cache usage. 1 means 100 percent usage.", min(1, running / m.spec.concurrency * 0.95))
        counter("vllm:num_preemptions_total", "Cumulative number of preemption from the engine.", c.preemptions)
        counter("vllm:prompt_tokens_total", "Number of prefill tokens processed.", c.promptTokens)
        counter("vllm:generation_tokens_total", "Number of generation tokens processed.", c.generationTokens)
        w.writeHelp("vllm:request_success_total", "Count of successfully processed requests.")
        w.writeType("vllm:request_success_total", .counter)
        for (reason, share) in [("abort", 0.0), ("length", 0.07), ("stop", 0.93)] {
            let v = reason == "abort" ? c.aborted : c.served * share
            w.writeSample("vllm:request_success_total", labels: [("engine", "0"), ("finished_reason", reason), ("model_name", m.spec.name)], value: v.rounded(.down))
        }
        w.writeHelp("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.")
        w.writeType("process_cpu_seconds_total", .counter)
        w.writeSample("process_cpu_seconds_total", labels: [], value: c.cpuSeconds)
        w.writeHelp("process_resident_memory_bytes", "Resident memory size in bytes.")
        w.writeType("process_resident_memory_bytes", .gauge)
        w.writeSample("process_resident_memory_bytes", labels: [], value: c.residentBytes.rounded())
        histogram(&w, "vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", c.ttft, base)
        histogram(&w, "vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", c.e2e, base)
        histogram(&w, "vllm:request_queue_time_seconds", "Histogram of time spent in WAITING phase for request.", c.queueTime, base)
        return w.bytes
    }

    /// vLLM (prometheus_client) writes `_sum` and `_count` before the buckets.
    static func histogram(_ w: inout ExpositionWriter, _ name: String, _ help: String, _ h: SimHistogram, _ base: [(String, String)]) {
        w.writeHelp(name, help)
        w.writeType(name, .histogram)
        w.writeSample(name + "_sum", labels: base, value: h.sum)
        for (le, v) in h.buckets(pythonStyle: true) {
            w.writeSample(name + "_bucket", labels: base + [("le", le)], value: v)
        }
        w.writeSample(name + "_count", labels: base, value: h.wholeCount)
    }
}
