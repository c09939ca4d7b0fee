/// The queries the agreement test runs on Scalewatch and on Prometheus 2.42, grouped by family.
/// `t` is the instant query's evaluation time in seconds (for `@`).
enum AgreementQueries {
    static let counters = ["vllm:prompt_tokens_total", "vllm:generation_tokens_total", "vllm:request_success_total",
                           "kueue_admission_attempts_total", "kueue_admitted_workloads_total"]
    static let gauges = ["vllm:num_requests_running", "vllm:kv_cache_usage_perc", "vllm:num_requests_waiting",
                         "kueue_cluster_queue_resource_usage", "kueue_pending_workloads"]
    static let histograms = ["vllm:time_to_first_token_seconds_bucket", "vllm:e2e_request_latency_seconds_bucket",
                             "kueue_admission_wait_time_seconds_bucket"]

    /// Queries where Prometheus 2.42 and the Prometheus 3 semantics Scalewatch follows differ, and why;
    /// they are compared with the difference taken out.
    static let knownDifferences: [String: String] = [
        "vllm:kv_cache_usage_perc atan2 vllm:kv_cache_usage_perc":
            "2.42 keeps __name__ on vector atan2 vector; Prometheus 3 drops it as for every arithmetic operator (compared without __name__)",
    ]

    static func all(at t: Double) -> [String] {
        let g = "vllm:kv_cache_usage_perc", c = "vllm:prompt_tokens_total", n = "kueue_cluster_queue_nominal_quota"
        var q: [String] = []
        // Selectors and modifiers.
        q += ["up", #"up{job="kueue"}"#, #"{__name__=~"vllm:num_requests_.*"}"#, #"\#(n){resource="cpu"}"#, #"\#(n){resource!="cpu"}"#,
              #"kueue_pending_workloads{status=~"active|inadmissible"}"#, #"kueue_pending_workloads{status!~"active"}"#,
              "\(g) offset 10s", "\(g) @ \(t - 20)", "\(g) offset -5s @ \(t - 20)", "scrape_samples_scraped", "scrape_duration_seconds > 0"]
        // Range functions on counters.
        for f in ["rate", "increase", "irate", "resets", "changes"] {
            q += counters.map { "\(f)(\($0)[30s])" }
        }
        q += ["rate(\(c)[1m])", "increase(\(c)[45s] offset 5s)", "rate(\(c)[20s] @ \(t - 10))"]
        // Range functions on gauges.
        for f in ["delta", "idelta", "deriv", "avg_over_time", "min_over_time", "max_over_time", "sum_over_time", "count_over_time",
                  "last_over_time", "present_over_time", "stddev_over_time", "stdvar_over_time"] {
            q += ["\(f)(\(g)[30s])", "\(f)(vllm:num_requests_running[20s])"]
        }
        q += ["quantile_over_time(0.9, \(g)[30s])", "quantile_over_time(0.1, vllm:num_requests_running[30s])",
              "predict_linear(\(g)[30s], 60)", "holt_winters(\(g)[30s], 0.5, 0.3)", "absent_over_time(nonexistent_metric[30s])",
              "absent_over_time(\(g)[30s])"]
        // Instant functions.
        for f in ["abs", "ceil", "floor", "exp", "sqrt", "ln", "log2", "log10", "sgn", "sin", "cos", "tan", "asin", "acos", "atan",
                  "sinh", "cosh", "tanh", "asinh", "atanh", "deg", "rad"] {
            q.append("\(f)(\(g))")
        }
        q += ["acosh(\(g) + 1)", "ln(vllm:num_requests_running)", "round(\(g), 0.01)", "round(vllm:prompt_tokens_total / 1000)",
              "clamp(\(g), 0.1, 0.5)", "clamp_min(\(g), 0.2)", "clamp_max(\(g), 0.2)", "-\(g)", "+\(g)",
              "timestamp(\(g))", "timestamp(rate(\(c)[30s]))", "time()", "vector(time())", "scalar(sum(\(g)))", "pi()", "vector(1)",
              "hour()", "minute()", "month()", "year()", "day_of_month()", "day_of_week()", "day_of_year()", "days_in_month()",
              "hour(vector(1700000000))", "day_of_week(vector(time()))",
              "sort(\(g))", "sort_desc(\(g))", "absent(nonexistent_metric{job=\"x\"})", "absent(\(g))",
              #"label_replace(\#(g), "short", "$1", "pod", "(.*)-[0-9]+")"#, #"label_join(\#(g), "both", "/", "job", "pod")"#]
        // Aggregations.
        for op in ["sum", "min", "max", "avg", "group", "stddev", "stdvar", "count"] {
            q += ["\(op)(\(n))", "\(op) by (resource) (\(n))", "\(op) without (flavor) (\(n))", "\(op)(rate(vllm:request_success_total[30s])) by (finished_reason)"]
        }
        q += ["topk(3, \(c))", "bottomk(2, \(c))", "topk by (job) (1, rate(vllm:request_success_total[30s]))",
              "quantile(0.5, \(g))", "quantile by (resource) (0.9, \(n))", #"count_values("quota", \#(n))"#,
              #"count_values by (resource) ("quota", \#(n))"#]
        // Binary operators.
        q += ["\(g) + 1", "2 * \(g)", "\(g) / 0", "\(g) - \(g)", "\(g) % 0.3", "\(g) ^ 2", "2 ^ 3 ^ 2", "1 + 2 * 3", "(1 + 2) * 3",
              "\(g) > 0.1", "\(g) < bool 0.5", "0.1 < \(g)", "\(g) == \(g)", "\(g) != bool \(g)", "\(g) >= 0", "\(g) <= 1",
              "1 == bool 1", "5 % 3", "atan2(\(g), 1)", "\(g) atan2 \(g)",
              "kueue_cluster_queue_resource_usage / kueue_cluster_queue_nominal_quota",
              "kueue_cluster_queue_resource_usage / on (cluster_queue, flavor, resource) kueue_cluster_queue_nominal_quota",
              "kueue_cluster_queue_resource_usage - ignoring (instance) kueue_cluster_queue_nominal_quota",
              "kueue_cluster_queue_nominal_quota * on (cluster_queue) group_left (cohort) kueue_cluster_queue_status{status=\"active\"}",
              "sum by (cluster_queue) (\(n)) / on (cluster_queue) group_right sum by (cluster_queue, resource) (\(n))",
              "\(g) and vllm:num_requests_running", "\(g) or vllm:num_requests_waiting", "\(g) unless vllm:num_requests_waiting",
              "\(g) and on (pod) vllm:num_requests_running > 3", "up or vector(0)", "vllm:num_requests_running > bool 2 * 3"]
        // Histograms.
        for h in histograms {
            q += ["histogram_quantile(0.9, sum by (le) (rate(\(h)[30s])))", "histogram_quantile(0.5, rate(\(h)[30s]))"]
        }
        q += ["histogram_quantile(0.99, sum by (le, job) (rate(vllm:time_to_first_token_seconds_bucket[1m])))",
              "histogram_quantile(0, sum by (le) (vllm:e2e_request_latency_seconds_bucket))",
              "histogram_quantile(1, sum by (le) (vllm:e2e_request_latency_seconds_bucket))"]
        // Subqueries.
        q += ["max_over_time(rate(\(c)[20s])[30s:5s])", "avg_over_time(\(g)[30s:])", "min_over_time(sum(\(g))[30s:10s] offset 5s)",
              "rate(sum(\(c))[30s:5s])", "count_over_time(up[20s:2s])"]
        return q
    }
}
