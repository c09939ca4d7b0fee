/// A Kubernetes resource quantity (`500m`, `2`, `1.5Gi`, `512Mi`, `1e9`, `4k`) as a number.
public enum KubernetesQuantity {
    static let suffixes: [(String, Double)] = [
        ("Ki", 1024), ("Mi", 1_048_576), ("Gi", 1_073_741_824), ("Ti", 1_099_511_627_776),
        ("Pi", 1_125_899_906_842_624), ("Ei", 1_152_921_504_606_846_976),
        ("m", 1e-3), ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18),
    ]

    /// The value, or nil when `text` is not a quantity.
    public static func parse(_ text: String) -> Double? {
        let t = text.trimmingSpaces
        for (suffix, factor) in suffixes where t.hasSuffix(suffix) {
            guard let v = Double(t.dropLast(suffix.count)), v.isFinite, v >= 0 else { return nil }
            return v * factor
        }
        guard let v = Double(t), v.isFinite, v >= 0 else { return nil }
        return v
    }
}

extension String {
    var trimmingSpaces: String {
        var s = Substring(self)
        while s.first == " " { s.removeFirst() }
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}

extension ConfigNode {
    /// A Kubernetes quantity: a plain number or a string such as `500m` or `16Gi`.
    public var quantity: Double? {
        guard let text = string else { return nil }
        guard let v = KubernetesQuantity.parse(text) else {
            fail("expected a Kubernetes quantity such as 500m, 2 or 16Gi, found \"\(text)\"")
            return nil
        }
        return v
    }
}
