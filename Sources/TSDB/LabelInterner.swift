import Synchronization

/// Keeps one copy of each label string, so a million series with `job="kueue"` share one buffer.
/// Strings of up to 15 UTF-8 bytes are stored inline by Swift and need no interning.
public final class LabelInterner: Sendable {
    public static let shared = LabelInterner()

    private let table = Mutex<Set<String>>([])

    public init() {}

    public func intern(_ s: String) -> String {
        if !Self.isInterned(s) { return s }
        return table.withLock { set in
            if let existing = set.firstIndex(of: s) { return set[existing] }
            set.insert(s)
            return s
        }
    }

    /// Forgets every string not in `live`. Safe at any time: a string dropped while still in use
    /// stays valid where it is used and only stops being shared with later copies.
    public func prune(keeping live: Set<String>) {
        table.withLock { set in set.formIntersection(live) }
    }

    /// Whether a string is long enough to be interned (shorter ones live inline in `String`).
    static func isInterned(_ s: String) -> Bool { s.utf8.count > 15 }

    public var count: Int { table.withLock { $0.count } }

    func contains(_ s: String) -> Bool { table.withLock { $0.contains(s) } }
}
