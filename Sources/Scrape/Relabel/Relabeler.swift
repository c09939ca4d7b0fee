import ConfigSupport

/// Applies relabel configs to a label set exactly as Prometheus 2.42's `relabel.Process` does.
public enum Relabeler {
    /// The relabeled set, or nil when an action dropped it. Empty values mean "absent".
    public static func process(_ labels: [String: String], _ configs: [RelabelConfig]) -> [String: String]? {
        var current = labels
        for config in configs {
            guard let next = apply(config, to: current) else { return nil }
            current = next
        }
        return current
    }

    static func apply(_ c: RelabelConfig, to input: [String: String]) -> [String: String]? {
        let value = c.sourceLabels.map { input[$0] ?? "" }.joined(separator: c.separator)
        var out = input
        func set(_ name: String, _ v: String) {
            if v.isEmpty { out[name] = nil } else { out[name] = v }
        }
        switch c.action {
        case .drop:
            if c.regex.matches(value) { return nil }
        case .keep:
            if !c.regex.matches(value) { return nil }
        case .dropequal:
            if (input[c.targetLabel] ?? "") == value { return nil }
        case .keepequal:
            if (input[c.targetLabel] ?? "") != value { return nil }
        case .replace:
            guard let target = c.regex.expand(c.targetLabel, matching: value) else { break }
            // Prometheus 2.42 deletes the configured (unexpanded) target label in both cases below.
            guard LabelNameRules.isValidLabelName(target) else {
                out[c.targetLabel] = nil
                break
            }
            let result = c.regex.expand(c.replacement, matching: value) ?? ""
            if result.isEmpty { out[c.targetLabel] = nil } else { out[target] = result }
        case .lowercase:
            set(c.targetLabel, value.lowercased())
        case .uppercase:
            set(c.targetLabel, value.uppercased())
        case .hashmod:
            guard c.modulus > 0 else { break }
            let digest = MD5.digest(Array(value.utf8))
            let low = digest[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            set(c.targetLabel, String(low % c.modulus))
        case .labelmap:
            for (name, v) in input.sorted(by: { $0.key < $1.key }) {
                if let mapped = c.regex.expand(c.replacement, matching: name) { set(mapped, v) }
            }
        case .labeldrop:
            for name in input.keys where c.regex.matches(name) { out[name] = nil }
        case .labelkeep:
            for name in input.keys where !c.regex.matches(name) { out[name] = nil }
        }
        return out
    }
}
