/// Shares a cohort's capacity of one flavor and resource among its ClusterQueues by demand:
/// each queue first gets its floor (its guaranteed minimum, and never less than it uses now),
/// the rest goes to unmet demand in proportion to the queues' weights (capped at their maximums),
/// anything left over by weight too, and whole units are handed out by largest remainder.
public enum QuotaShare {
    /// One ClusterQueue's side of the share.
    public struct Queue: Sendable, Equatable {
        public var name: String
        /// Units in use now (admitted workloads): the quota never goes below it.
        public var usage: Double
        /// Units pending workloads ask for that more quota would admit (not inadmissible ones).
        public var pending: Double
        public var minimum: Double = 0
        public var maximum: Double? = nil
        public var weight: Double = 1
        /// Inactive queues keep their floor and take no share.
        public var active = true

        public init(name: String, usage: Double, pending: Double, minimum: Double = 0, maximum: Double? = nil, weight: Double = 1, active: Bool = true) {
            self.name = name
            self.usage = usage
            self.pending = pending
            self.minimum = minimum
            self.maximum = maximum
            self.weight = weight
            self.active = active
        }

        var floor: Int { Int(max(minimum, usage).rounded(.up)) }
        var cap: Int { maximum.map { max(floor, Int($0.rounded(.down))) } ?? Int.max }
        var demand: Double { min(Double(cap), usage + pending) }
    }

    /// The proposal: whole units per queue, and whether the floors alone exceed the capacity.
    public struct Result: Sendable, Equatable {
        public var quota: [String: Int]
        public var floorsExceedCapacity: Bool
    }

    public static func share(capacity: Int, queues: [Queue]) -> Result {
        var quota = Dictionary(uniqueKeysWithValues: queues.map { ($0.name, $0.floor) })
        let floors = quota.values.reduce(0, +)
        guard floors <= capacity else { return Result(quota: quota, floorsExceedCapacity: true) }
        var remaining = Double(capacity - floors)
        let active = queues.filter(\.active)
        // First unmet demand, then what is left, each by weight, never past a queue's cap.
        var exact = Dictionary(uniqueKeysWithValues: queues.map { ($0.name, Double($0.floor)) })
        for phase in 0..<2 {
            var open = active.filter { q in
                let limit = phase == 0 ? q.demand : Double(q.cap)
                return exact[q.name]! < limit - 1e-9 && q.weight > 0
            }
            while remaining > 1e-9 && !open.isEmpty {
                let weights = open.reduce(0.0) { $0 + $1.weight }
                var capped = false
                for q in open {
                    let limit = phase == 0 ? q.demand : Double(q.cap)
                    let room = limit - exact[q.name]!
                    if remaining * q.weight / weights >= room {
                        exact[q.name]! = limit
                        remaining -= room
                        capped = true
                    }
                }
                if capped {
                    open = open.filter { q in exact[q.name]! < (phase == 0 ? q.demand : Double(q.cap)) - 1e-9 }
                    continue
                }
                for q in open { exact[q.name]! += remaining * q.weight / weights }
                remaining = 0
            }
        }
        // Whole units: the floors of the shares, then one more unit each by largest remainder.
        var units = capacity - floors
        for q in queues {
            let whole = Int(exact[q.name]!.rounded(.down))
            units -= whole - quota[q.name]!
            quota[q.name] = whole
        }
        let byRemainder = queues.filter { q in q.active && quota[q.name]! < q.cap }
            .sorted { a, b in
                let ra = exact[a.name]! - Double(quota[a.name]!), rb = exact[b.name]! - Double(quota[b.name]!)
                return ra != rb ? ra > rb : a.name < b.name
            }
        for q in byRemainder where units > 0 && exact[q.name]! - Double(quota[q.name]!) > 1e-9 {
            quota[q.name]! += 1
            units -= 1
        }
        return Result(quota: quota, floorsExceedCapacity: false)
    }

    /// A lending limit kept valid for Kueue: never above the nominal quota.
    public static func lendingLimit(_ wanted: Int?, nominal: Int) -> Int? {
        wanted.map { min($0, nominal) }
    }
}
