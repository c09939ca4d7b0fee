import Synchronization

/// Keeps one copy of each label string, so a million series with `job="kueue"` share one buffer.
/// Strings of up to 15 UTF-8 bytes are stored inline by Swift and need no interning.
public final class LabelInterner: Sendable {
    public static let shared = LabelInterner()

    private let table = Mutex<Set<String>>([])

    public init() {}

    public func intern(_ s: String) -> String {
        if s.utf8.count <= 15 { return s }
        return table.withLock { set in
            if let existing = set.firstIndex(of: s) { return set[existing] }
            set.insert(s)
            return s
        }
    }

    /// Forgets strings no series uses any more (called after retention removed series).
    public func prune(keeping live: Set<String>) {
        table.withLock { set in set.formIntersection(live) }
    }

    public var count: Int { table.withLock { $0.count } }
}
