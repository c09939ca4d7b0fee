/// The orders PromQL's sorting functions use.
enum SortOrder {
    /// Natural order of label values, as Prometheus's `sort_by_label` compares them (the
    /// facette/natsort rules): runs of digits compare as integers, other runs as strings.
    static func less(_ a: String, _ b: String) -> Bool {
        let x = chunks(a), y = chunks(b)
        for i in x.indices {
            if i >= y.count { return false }
            if let m = Int(x[i]), let n = Int(y[i]) {
                if m != n { return m < n }
            } else if x[i] != y[i] {
                return x[i] < y[i]
            }
            if i == x.count - 1 { return true }
            if i == y.count - 1 { return false }
        }
        return false
    }

    private static func chunks(_ s: String) -> [Substring] {
        var out: [Substring] = []
        var start = s.startIndex
        var digits: Bool? = nil
        for i in s.indices {
            let d = s[i].isASCII && s[i].isNumber
            if let current = digits, current != d {
                out.append(s[start..<i])
                start = i
            }
            digits = d
        }
        if start < s.endIndex { out.append(s[start...]) }
        return out
    }

    /// Prometheus's `labels.Compare`: label by label in name order, names first, then values;
    /// a label set that is a prefix of another sorts first.
    static func compare(_ a: [String: String], _ b: [String: String]) -> Int {
        let x = a.sorted { $0.key < $1.key }, y = b.sorted { $0.key < $1.key }
        for (l, r) in zip(x, y) {
            if l.key != r.key { return l.key < r.key ? -1 : 1 }
            if l.value != r.value { return l.value < r.value ? -1 : 1 }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}
