/// Inverted index: for every label pair, the sorted refs of the series that carry it.
struct PostingsIndex: Sendable {
    private(set) var postings: [String: [String: [SeriesRef]]] = [:]
    private(set) var all: [SeriesRef] = []

    mutating func add(_ ref: SeriesRef, _ labels: Labels) {
        Self.insertSorted(ref, into: &all)
        for label in labels.pairs {
            Self.insertSorted(ref, into: &postings[label.name, default: [:]][label.value, default: []])
        }
    }

    mutating func remove(_ refs: Set<SeriesRef>, _ labelsOf: [SeriesRef: Labels]) {
        guard !refs.isEmpty else { return }
        all.removeAll { refs.contains($0) }
        for ref in refs {
            guard let labels = labelsOf[ref] else { continue }
            for label in labels.pairs {
                postings[label.name]?[label.value]?.removeAll { $0 == ref }
                if postings[label.name]?[label.value]?.isEmpty == true {
                    postings[label.name]![label.value] = nil
                    if postings[label.name]!.isEmpty { postings[label.name] = nil }
                }
            }
        }
    }

    /// Refs are handed out in increasing order, so this is an append except after replay.
    private static func insertSorted(_ ref: SeriesRef, into list: inout [SeriesRef]) {
        if let last = list.last, last > ref {
            var lo = 0, hi = list.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if list[mid] < ref { lo = mid + 1 } else { hi = mid }
            }
            list.insert(ref, at: lo)
        } else {
            list.append(ref)
        }
    }

    /// Union of the postings of every value of `name` that `accept` takes.
    func postings(name: String, where accept: (String) -> Bool) -> [SeriesRef] {
        guard let values = postings[name] else { return [] }
        var lists: [[SeriesRef]] = []
        for (value, refs) in values where accept(value) { lists.append(refs) }
        return Postings.union(lists)
    }

    /// Postings of a matcher that does not match the empty string (only series with the label).
    func postings(for m: LabelMatcher) -> [SeriesRef] {
        if m.kind == .equal { return postings[m.name]?[m.value] ?? [] }
        if m.kind == .regexMatch, let set = m.regex?.literalSet {
            return Postings.union(set.compactMap { postings[m.name]?[$0] })
        }
        return postings(name: m.name) { m.matches($0) }
    }

    /// Prometheus's `PostingsForMatchers`: intersect what must match, subtract what must not;
    /// a matcher that matches "" also selects series that lack the label.
    func select(_ matchers: [LabelMatcher]) -> [SeriesRef] {
        var include: [[SeriesRef]] = []
        var exclude: [[SeriesRef]] = []
        for m in matchers {
            let matchesEmpty = m.matches("")
            let isNegative = m.kind == .notEqual || m.kind == .notRegexMatch
            switch (isNegative, matchesEmpty) {
            case (true, true):
                // l!="x", l!~"x": drop series whose value matches the inverse.
                exclude.append(postings(for: m.inverse))
            case (true, false):
                // l!="", l!~"": series that have the label with a value m accepts.
                include.append(postings(name: m.name) { m.matches($0) })
            case (false, true):
                // l="", l=~"|x": drop series whose value m rejects (l=~".*" rejects none).
                if m.matchesEverything { continue }
                exclude.append(postings(name: m.name) { !m.matches($0) })
            case (false, false):
                include.append(postings(for: m))
            }
        }
        var result = include.isEmpty ? all : Postings.intersect(include)
        if !exclude.isEmpty { result = Postings.subtract(result, Postings.union(exclude)) }
        return result
    }
}

/// Set operations on sorted ref lists.
enum Postings {
    static func intersect(_ lists: [[SeriesRef]]) -> [SeriesRef] {
        guard var result = lists.min(by: { $0.count < $1.count }) else { return [] }
        for list in lists where !result.isEmpty {
            var out: [SeriesRef] = []
            out.reserveCapacity(min(result.count, list.count))
            var i = 0, j = 0
            while i < result.count && j < list.count {
                if result[i] == list[j] {
                    out.append(result[i]); i += 1; j += 1
                } else if result[i] < list[j] { i += 1 } else { j += 1 }
            }
            result = out
        }
        return result
    }

    static func union(_ lists: [[SeriesRef]]) -> [SeriesRef] {
        if lists.count == 1 { return lists[0] }
        var merged = lists.flatMap { $0 }
        merged.sort()
        var out: [SeriesRef] = []
        out.reserveCapacity(merged.count)
        for r in merged where out.last != r { out.append(r) }
        return out
    }

    static func subtract(_ a: [SeriesRef], _ b: [SeriesRef]) -> [SeriesRef] {
        var out: [SeriesRef] = []
        out.reserveCapacity(a.count)
        var j = 0
        for r in a {
            while j < b.count && b[j] < r { j += 1 }
            if j < b.count && b[j] == r { continue }
            out.append(r)
        }
        return out
    }
}
