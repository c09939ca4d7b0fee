import Autoscale
import Foundation

/// Ready-made signals for the model servers Scalewatch knows, written `preset: NAME` with an
/// optional `match: 'model_name="x"'` narrowing every selector: the PromQL a user would write
/// for vLLM, ModelMesh and Triton, with the kind of target each reads against.
public enum SignalPresets {
    public struct Preset: Sendable {
        public var name: String
        public var kind: ReplicaRecommender.TargetKind
        public var help: String
        /// The query with `{M}` where a selector's braces go and `{,M}` where more matchers join some.
        let template: String

        public func query(match: String?) -> String {
            let m = match ?? ""
            return template.replacingOccurrences(of: "{,M}", with: m.isEmpty ? "" : "," + m).replacingOccurrences(of: "{M}", with: "{" + m + "}")
        }
    }

    public static let all: [Preset] = [
        Preset(name: "vllm_requests_in_flight", kind: .averageValue, help: "vLLM requests running and waiting, shared by replicas",
               template: #"sum(vllm:num_requests_running{M}) + sum(vllm:num_requests_waiting{M})"#),
        Preset(name: "vllm_requests_waiting", kind: .averageValue, help: "vLLM requests waiting for a batch slot",
               template: #"sum(vllm:num_requests_waiting{M})"#),
        Preset(name: "vllm_kv_cache_usage", kind: .value, help: "vLLM KV-cache use, 0 to 1, averaged over replicas",
               template: #"avg(vllm:kv_cache_usage_perc{M})"#),
        Preset(name: "vllm_p95_latency_seconds", kind: .value, help: "vLLM end-to-end p95 latency over 2 minutes",
               template: #"histogram_quantile(0.95, sum by (le) (rate(vllm:e2e_request_latency_seconds_bucket{M}[2m])))"#),
        Preset(name: "modelmesh_request_rate", kind: .averageValue, help: "ModelMesh inference requests per second",
               template: #"sum(rate(modelmesh_api_request_milliseconds_count{method="ModelInfer"{,M}}[1m]))"#),
        Preset(name: "modelmesh_p95_latency_milliseconds", kind: .value, help: "ModelMesh inference p95 latency over 2 minutes",
               template: #"histogram_quantile(0.95, sum by (le) (rate(modelmesh_api_request_milliseconds_bucket{method="ModelInfer"{,M}}[2m])))"#),
        Preset(name: "modelmesh_capacity_usage", kind: .value, help: "ModelMesh model cache use, 0 to 1, over all instances",
               template: #"sum(modelmesh_instance_used_bytes{M}) / sum(modelmesh_instance_capacity_bytes{M})"#),
        Preset(name: "triton_pending_requests", kind: .averageValue, help: "Triton requests received and not yet executing",
               template: #"sum(nv_inference_pending_request_count{M})"#),
    ]

    public static func named(_ name: String) -> Preset? { all.first { $0.name == name } }
}
