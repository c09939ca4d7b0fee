import Rules
import Testing

/// Alert templates expand as Prometheus expands them (expected texts from Prometheus's own
/// template tests and documentation).
@Suite struct TemplateTests {
    static func expand(_ text: String, labels: [String: String] = ["instance": "10.0.0.1:8000", "job": "vllm"], value: Double = 0.75,
                       query: (@Sendable (String) throws(TemplateError) -> [(labels: [String: String], value: Double)])? = nil) -> String {
        Template.expandAlert(text, name: "test", labels: labels, value: value, externalLabels: ["cluster": "gpu-east"],
                             environment: TemplateEnvironment(externalURL: "http://scalewatch:9090", query: query))
    }

    @Test func variablesAndFields() {
        #expect(Self.expand("{{ $labels.instance }} of {{ .Labels.job }} at {{ $value }} in {{ $externalLabels.cluster }}")
                == "10.0.0.1:8000 of vllm at 0.75 in gpu-east")
        #expect(Self.expand("{{$externalURL}}/alerts") == "http://scalewatch:9090/alerts")
        #expect(Self.expand("{{ $labels.missing }}") == "<no value>")
    }

    @Test func humanizeFamily() {
        #expect(Self.expand("{{ humanize 1234567.0 }}|{{ humanize 0.00123 }}|{{ humanize 0 }}|{{ humanize 12 }}") == "1.235M|1.23m|0|12")
        #expect(Self.expand("{{ humanize1024 1048576.0 }}|{{ humanize1024 0.5 }}") == "1Mi|0.5")
        #expect(Self.expand("{{ humanizeDuration 3661 }}|{{ humanizeDuration 90061 }}|{{ humanizeDuration 0.0015 }}|{{ humanizeDuration 1.5 }}")
                == "1h 1m 1s|1d 1h 1m 1s|1.5ms|1.5s")
        #expect(Self.expand("{{ humanizePercentage 0.1234 }}|{{ $value | humanizePercentage }}") == "12.34%|75%")
        #expect(Self.expand("{{ humanizeTimestamp 1435065584.128 }}") == "2015-06-23 13:19:44.128 +0000 UTC")
    }

    @Test func controlFlowAndFunctions() {
        #expect(Self.expand("{{ if gt $value 0.5 }}high{{ else if gt $value 0.2 }}mid{{ else }}low{{ end }}") == "high")
        #expect(Self.expand("{{ if gt $value 0.5 }}high{{ else if gt $value 0.2 }}mid{{ else }}low{{ end }}", value: 0.3) == "mid")
        #expect(Self.expand("{{ with $labels.job }}job {{ . }}{{ end }}") == "job vllm")
        #expect(Self.expand(#"{{ printf "%.2f" $value }} {{ printf "%s/%d" "x" 3 }}"#) == "0.75 x/3")
        #expect(Self.expand(#"{{ reReplaceAll "(a)b" "x$1" "abab" }} {{ toUpper "gpu" }} {{ title "model down" }}"#) == "xaxa GPU Model Down")
        #expect(Self.expand(#"{{ if match "^10\\." $labels.instance }}internal{{ end }}"#) == "internal")
        #expect(Self.expand("{{- \"  x  \" -}}  \n{{ 1 }}") == "  x  1")
        #expect(Self.expand(#"{{ $x := "a" }}{{ $x }}{{ /* comment */ }}"#) == "a")
    }

    @Test func queryResultsRangeAndFirst() {
        let query: @Sendable (String) throws(TemplateError) -> [(labels: [String: String], value: Double)] = { q in
            q == "up" ? [(["instance": "a"], 1), (["instance": "b"], 0)] : []
        }
        #expect(Self.expand(#"{{ range query "up" }}{{ .Labels.instance }}={{ .Value }};{{ end }}"#, query: query) == "a=1;b=0;")
        #expect(Self.expand(#"{{ with query "up" }}{{ . | first | value | humanize }}{{ end }}"#, query: query) == "1")
        #expect(Self.expand(#"{{ range $i, $s := query "up" }}{{ $i }}:{{ label "instance" $s }} {{ end }}"#, query: query) == "0:a 1:b ")
        #expect(Self.expand(#"{{ query "none" | first }}"#, query: query).hasPrefix("<error expanding template: first() called on vector with no elements"))
    }

    @Test func errorsAreFoundAtLoadTime() {
        #expect(throws: TemplateError.self) { try Template("{{ nosuchfunc 1 }}", name: "t") }
        #expect(throws: TemplateError.self) { try Template("{{ if $value }}x", name: "t") }
        #expect(throws: TemplateError.self) { try Template("{{ $value", name: "t") }
        #expect(Self.expand("{{ $undefined }}").hasPrefix("<error expanding template: undefined variable"))
    }
}
