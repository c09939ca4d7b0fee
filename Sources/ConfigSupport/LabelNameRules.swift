/// Prometheus's legacy label and metric name rules (2.x), which config values are checked against.
public enum LabelNameRules {
    /// `[a-zA-Z_][a-zA-Z0-9_]*`
    public static func isValidLabelName(_ name: String) -> Bool { isValid(name, colon: false) }

    /// `[a-zA-Z_:][a-zA-Z0-9_:]*`
    public static func isValidMetricName(_ name: String) -> Bool { isValid(name, colon: true) }

    private static func isValid(_ name: String, colon: Bool) -> Bool {
        var first = true
        for b in name.utf8 {
            let letter = (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || b == 0x5f || (colon && b == 0x3a)
            let digit = b >= 0x30 && b <= 0x39
            if !(letter || (!first && digit)) { return false }
            first = false
        }
        return !first
    }
}
