import ConfigSupport
import Rules
import Testing

/// Rule files are read with promtool's strictness, every problem reported with its line.
@Suite struct RuleFileTests {
    @Test func readsGroupsRecordingAndAlertingRules() throws {
        let file = try RuleFile(text: """
            groups:
              - name: vllm
                interval: 30s
                query_offset: 1m
                limit: 10
                rules:
                  - record: job:vllm_requests_running:sum
                    expr: sum by (job) (vllm:num_requests_running)
                    labels: {team: inference}
                  - alert: VLLMRequestsWaiting
                    expr: vllm:num_requests_waiting > 10
                    for: 5m
                    keep_firing_for: 2m
                    labels: {severity: warning}
                    annotations:
                      summary: Requests are waiting.
                      description: '{{ $value }} requests wait on {{ $labels.pod }}.'
            """, file: "vllm.yml")
        #expect(file.groups.count == 1)
        let g = file.groups[0]
        #expect(g.name == "vllm" && g.intervalMs == 30_000 && g.queryOffsetMs == 60_000 && g.limit == 10)
        guard case .recording(let r) = g.rules[0], case .alerting(let a) = g.rules[1] else {
            Issue.record("wrong rule kinds")
            return
        }
        #expect(r.record == "job:vllm_requests_running:sum" && r.labels == ["team": "inference"])
        #expect(a.alert == "VLLMRequestsWaiting" && a.forMs == 300_000 && a.keepFiringForMs == 120_000 && a.annotations.count == 2)
    }

    @Test func reportsEveryProblemWithItsLine() {
        let text = """
            groups:
              - name: a
                rules:
                  - record: "bad name"
                    expr: up
                  - alert: X
                    record: y
                    expr: up
                  - alert: Y
                    expr: sum(up
                  - alert: Z
                    expr: up
                    labels: {"0bad": x}
                    annotations: {summary: "{{ nosuch }}"}
                  - record: r
                    expr: up
                    for: 1m
                    unknown_field: 1
              - name: a
                rules: []
              - name: ""
            """
        #expect {
            _ = try RuleFile(text: text, file: "bad.yml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("bad.yml:4:")
                && text.contains("invalid recording rule name: bad name")
                && text.contains("only one of 'record' and 'alert' must be set")
                && text.contains("could not parse expression")
                && text.contains("invalid label name: 0bad")
                && text.contains(#"annotations.summary: template: __alert_Z:1: function "nosuch" not defined"#)
                && text.contains("invalid field 'for' in recording rule")
                && text.contains("unknown_field")
                && text.contains(#"groupname: "a" is repeated"#)
                && text.contains("groupname must not be empty")
        }
    }
}
