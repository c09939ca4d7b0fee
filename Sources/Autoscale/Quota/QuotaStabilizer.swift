/// Holds a quota policy's changes back: a queue's quota rises at once but falls only to the
/// highest proposal of the stabilization window (30 minutes by default, as long-running
/// training jobs need), moves at most `maxStep` units per change, and the cohort's total never
/// exceeds the capacity (rises are trimmed, largest first, until it fits). Its memory of past
/// proposals is what a checkpoint keeps.
public struct QuotaStabilizer: Sendable, Codable, Equatable {
    public var windowMs: Int64
    /// Largest change per queue and evaluation; nil: unlimited.
    public var maxStep: Int?

    struct Proposal: Sendable, Codable, Equatable { var units: Int; var atMs: Int64 }
    private(set) var proposals: [String: [Proposal]] = [:]

    public init(windowMs: Int64 = 30 * 60_000, maxStep: Int? = nil) {
        self.windowMs = windowMs
        self.maxStep = maxStep
    }

    /// One queue's way from its proposal to its new quota.
    public struct Step: Sendable, Equatable {
        public var proposed: Int
        public var stabilized: Int
        public var stepped: Int
        public var final: Int

        public init(proposed: Int, stabilized: Int, stepped: Int, final: Int) {
            self.proposed = proposed
            self.stabilized = stabilized
            self.stepped = stepped
            self.final = final
        }

        /// No change: every stage at the current value.
        public static func unchanged(_ units: Int) -> Step { Step(proposed: units, stabilized: units, stepped: units, final: units) }
    }

    /// The new quotas given the share's proposals and the current nominal quotas.
    public mutating func apply(at now: Int64, proposed: [String: Int], current: [String: Int], capacity: Int) -> [String: Step] {
        var steps: [String: Step] = [:]
        for (queue, units) in proposed {
            // A queue seen for the first time starts its window at its current quota, so a decrease
            // waits a whole window after a start, as it would have had the history been kept.
            var history = (proposals[queue] ?? current[queue].map { [Proposal(units: $0, atMs: now)] } ?? []).filter { $0.atMs > now - windowMs }
            history.append(Proposal(units: units, atMs: now))
            proposals[queue] = history
            let was = current[queue] ?? units
            // Up at once; down no further than the window's highest proposal.
            let stabilized = units >= was ? units : min(was, history.map(\.units).max() ?? units)
            var stepped = stabilized
            if let maxStep { stepped = min(max(stabilized, was - maxStep), was + maxStep) }
            steps[queue] = Step(proposed: units, stabilized: stabilized, stepped: stepped, final: stepped)
        }
        // Held-back decreases may leave too little room for the rises: trim the rises.
        var total = steps.values.reduce(0) { $0 + $1.final }
        while total > capacity {
            let rising = steps.filter { $0.value.final > (current[$0.key] ?? $0.value.final) }
            guard let largest = rising.max(by: { a, b in
                let ra = a.value.final - (current[a.key] ?? 0), rb = b.value.final - (current[b.key] ?? 0)
                return ra != rb ? ra < rb : a.key > b.key
            }) else { break }
            steps[largest.key]!.final -= 1
            total -= 1
        }
        return steps
    }
}
