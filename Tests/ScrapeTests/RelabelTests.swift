import ConfigSupport
import Scrape
import Testing

/// Cases from Prometheus 2.42's `model/relabel/relabel_test.go`, written as the YAML a user writes.
@Suite struct RelabelTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let input: [String: String]
        let yaml: String
        let output: [String: String]?
        var testDescription: String { name }
    }

    static func configs(_ yaml: String) throws -> [RelabelConfig] {
        let doc = ConfigDocument(file: "relabel.yml", text: yaml)
        let configs = (doc.rootNode.list ?? []).compactMap(RelabelConfig.init(reading:))
        try doc.check()
        return configs
    }

    static let cases: [Case] = [
        Case(name: "replace with ${1}", input: ["a": "foo", "b": "bar", "c": "baz"], yaml: """
            - {source_labels: [a], regex: "f(.*)", target_label: d, replacement: "ch${1}-ch${1}"}
            """, output: ["a": "foo", "b": "bar", "c": "baz", "d": "choo-choo"]),
        Case(name: "chained replaces see earlier results", input: ["a": "foo", "b": "bar", "c": "baz"], yaml: """
            - {source_labels: [a, b], regex: "f(.*);(.*)r", target_label: a, replacement: "b${1}${2}m"}
            - {source_labels: [c, a], regex: "(b).*b(.*)ba(.*)", target_label: d, replacement: "$1$2$2$3"}
            """, output: ["a": "boobam", "b": "bar", "c": "baz", "d": "boooom"]),
        Case(name: "drop stops the chain", input: ["a": "foo"], yaml: """
            - {source_labels: [a], regex: ".*o.*", action: drop}
            - {source_labels: [a], regex: "f(.*)", target_label: d, replacement: "ch$1-ch$1"}
            """, output: nil),
        Case(name: "regex is anchored", input: ["a": "abc"], yaml: """
            - {source_labels: [a], regex: ".*(b).*", target_label: d}
            """, output: ["a": "abc", "d": "b"]),
        Case(name: "keep on non-match drops", input: ["a": "foo"], yaml: """
            - {source_labels: [a], regex: "no-match", action: keep}
            """, output: nil),
        Case(name: "keep needs a whole match", input: ["a": "foo"], yaml: """
            - {source_labels: [a], regex: "f|o", action: keep}
            """, output: nil),
        Case(name: "no match leaves labels alone", input: ["a": "boo"], yaml: """
            - {source_labels: [a], regex: "f", target_label: b, replacement: "bar"}
            """, output: ["a": "boo"]),
        Case(name: "hashmod (md5, last 8 bytes)", input: ["a": "foo", "b": "bar", "c": "baz"], yaml: """
            - {source_labels: [c], target_label: d, action: hashmod, modulus: 1000}
            """, output: ["a": "foo", "b": "bar", "c": "baz", "d": "976"]),
        Case(name: "hashmod of a value with a newline", input: ["a": "foo\nbar"], yaml: """
            - {source_labels: [a], target_label: b, action: hashmod, modulus: 1000}
            """, output: ["a": "foo\nbar", "b": "734"]),
        Case(name: "labelmap", input: ["a": "foo", "b1": "bar", "b2": "baz"], yaml: """
            - {regex: "(b.*)", replacement: "bar_${1}", action: labelmap}
            """, output: ["a": "foo", "b1": "bar", "b2": "baz", "bar_b1": "bar", "bar_b2": "baz"]),
        Case(name: "labelmap of meta labels", input: ["a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc"], yaml: """
            - {regex: "__meta_(my.*)", replacement: "${1}", action: labelmap}
            """, output: ["a": "foo", "__meta_my_bar": "aaa", "__meta_my_baz": "bbb", "__meta_other": "ccc", "my_bar": "aaa", "my_baz": "bbb"]),
        Case(name: "templated target label", input: ["a": "some-name-value"], yaml: """
            - {source_labels: [a], regex: "some-([^-]+)-([^,]+)", replacement: "${2}", target_label: "${1}"}
            """, output: ["a": "some-name-value", "name": "value"]),
        Case(name: "empty replacement deletes", input: ["a": "some-name-value"], yaml: """
            - {source_labels: [a], regex: "some-([^-]+)-([^,]+)", replacement: "${3}", target_label: "${1}"}
            """, output: ["a": "some-name-value"]),
        // ("0${3}" and "-${3}" of the Go test are config errors in YAML, tested below.)
        Case(name: "invalid expanded target does nothing", input: ["a": "some-name-value"], yaml: """
            - {source_labels: [a], regex: "some-([^-]+)-([^,]+)", replacement: "${1}", target_label: "${3}"}
            """, output: ["a": "some-name-value"]),
        Case(name: "real-life service discovery tags", input: ["__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar"], yaml: """
            - {source_labels: [__meta_sd_tags], regex: "(?:.+,|^)path:(/[^,]+).*", replacement: "${1}", target_label: __metrics_path__}
            - {source_labels: [__meta_sd_tags], regex: "(?:.+,|^)job:([^,]+).*", replacement: "${1}", target_label: job}
            - {source_labels: [__meta_sd_tags], regex: "(?:.+,|^)label:([^=]+)=([^,]+).*", replacement: "${2}", target_label: "${1}"}
            """, output: ["__meta_sd_tags": "path:/secret,job:some-job,label:foo=bar", "__metrics_path__": "/secret", "job": "some-job", "foo": "bar"]),
        Case(name: "labelkeep", input: ["a": "foo", "b1": "bar", "b2": "baz"], yaml: """
            - {regex: "(b.*)", action: labelkeep}
            """, output: ["b1": "bar", "b2": "baz"]),
        Case(name: "labeldrop", input: ["a": "foo", "b1": "bar", "b2": "baz"], yaml: """
            - {regex: "(b.*)", action: labeldrop}
            """, output: ["a": "foo"]),
        Case(name: "uppercase and lowercase", input: ["foo": "bAr123Foo"], yaml: """
            - {source_labels: [foo], target_label: foo_uppercase, action: uppercase}
            - {source_labels: [foo], target_label: foo_lowercase, action: lowercase}
            """, output: ["foo": "bAr123Foo", "foo_uppercase": "BAR123FOO", "foo_lowercase": "bar123foo"]),
        Case(name: "keepequal keeps equal", input: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"], yaml: """
            - {source_labels: [__tmp_port], target_label: __port1, action: keepequal}
            """, output: ["__tmp_port": "1234", "__port1": "1234", "__port2": "5678"]),
        Case(name: "dropequal drops equal", input: ["__tmp_port": "1234", "__port1": "1234"], yaml: """
            - {source_labels: [__tmp_port], target_label: __port1, action: dropequal}
            """, output: nil),
        Case(name: "keepequal drops unequal", input: ["__tmp_port": "1234", "__port2": "5678"], yaml: """
            - {source_labels: [__tmp_port], target_label: __port2, action: keepequal}
            """, output: nil),
        Case(name: "defaults: replace of the joined sources with $1", input: ["a": "x", "b": "y"], yaml: """
            - {source_labels: [a, b], target_label: c}
            """, output: ["a": "x", "b": "y", "c": "x;y"]),
        Case(name: "$1x is the named group 1x, so empty, so deleted", input: ["a": "foo"], yaml: """
            - {source_labels: [a], regex: "(f)oo", target_label: b, replacement: "$1x"}
            """, output: ["a": "foo"]),
        Case(name: "$$ is a dollar and named groups expand", input: ["a": "foo"], yaml: """
            - {source_labels: [a], regex: "(?P<first>f)(o+)", target_label: b, replacement: "$$-${first}-$2"}
            """, output: ["a": "foo", "b": "$-f-oo"]),
    ]

    @Test(arguments: cases)
    func matchesPrometheus(_ c: Case) throws {
        let result = Relabeler.process(c.input, try Self.configs(c.yaml))
        #expect(result == c.output)
    }

    @Test func invalidConfigsAreRejectedWithTheirReason() {
        let bad: [(String, String)] = [
            ("- {action: hashmod, target_label: a}", "requires non-zero modulus"),
            ("- {action: replace}", "requires 'target_label' value"),
            ("- {action: lowercase, source_labels: [a], target_label: b, replacement: x}", "'replacement' can not be set for lowercase action"),
            ("- {action: labeldrop, regex: a, source_labels: [a]}", "labeldrop action requires only 'regex', and no other fields"),
            ("- {action: keepequal, source_labels: [a], target_label: b, regex: x}", "keepequal action requires only 'source_labels' and `target_label`"),
            ("- {action: labelmap, regex: a, replacement: \"-x\"}", "is invalid 'replacement' for labelmap action"),
            ("- {action: replace, target_label: \"0a\"}", "is invalid 'target_label' for replace action"),
            ("- {action: frobnicate}", "unknown relabel action \"frobnicate\""),
            ("- {regex: \"a(\", target_label: b}", "invalid regular expression"),
            ("- {regex: \"(a)\\\\1\", target_label: b}", "backreferences are not supported"),
            ("- {target_label: b, colour: red}", "colour: unknown key"),
        ]
        for (yaml, expected) in bad {
            let doc = ConfigDocument(file: "relabel.yml", text: yaml)
            _ = (doc.rootNode.list ?? []).compactMap(RelabelConfig.init(reading:))
            #expect(doc.issues.contains { $0.description.contains(expected) }, "\(yaml): \(doc.issues)")
            #expect(doc.issues.allSatisfy { $0.position.line == 1 && $0.position.file == "relabel.yml" })
        }
    }
}
