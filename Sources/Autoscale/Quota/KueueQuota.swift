import PromQL

/// Kueue's side of a quota recommendation: reading its limit gauges (an unset limit reads +Inf
/// from Kueue 0.19 and 0 before it), and writing a ClusterQueue's proposed `resourceGroups` in
/// the `kueue.x-k8s.io/v1beta2` shape with every lendingLimit at most its nominalQuota.
public enum KueueQuota {
    /// A borrowing or lending limit from `kueue_cluster_queue_{borrowing,lending}_limit`: nil
    /// when unset (+Inf, or 0 from a Kueue older than 0.19, whose `git_version` says so).
    public static func limit(_ value: Double?, kueueVersion: String?) -> Double? {
        guard let value, value.isFinite else { return nil }
        if value == 0, let version = kueueVersion, isBefore019(version) { return nil }
        return value
    }

    /// `v0.18.2` and `0.9.1` are before 0.19; `v0.19.0`, `v1.0.0` and unknown versions are not.
    static func isBefore019(_ version: String) -> Bool {
        let parts = version.drop { $0 == "v" }.split(separator: ".").prefix(2).map { Int($0.prefix { $0.isNumber }) }
        guard parts.count == 2, let major = parts[0], let minor = parts[1] else { return false }
        return major == 0 && minor < 19
    }

    /// One flavor and resource of a ClusterQueue as proposed.
    public struct ResourceQuota: Sendable, Equatable {
        public var clusterQueue: String
        public var flavor: String
        public var resource: String
        public var nominalQuota: Double
        public var borrowingLimit: Double?
        public var lendingLimit: Double?

        public init(clusterQueue: String, flavor: String, resource: String, nominalQuota: Double,
                    borrowingLimit: Double? = nil, lendingLimit: Double? = nil) {
            self.clusterQueue = clusterQueue
            self.flavor = flavor
            self.resource = resource
            self.nominalQuota = nominalQuota
            self.borrowingLimit = borrowingLimit
            // Kueue rejects a lendingLimit above the nominalQuota.
            self.lendingLimit = lendingLimit.map { min($0, nominalQuota) }
        }
    }

    /// Each ClusterQueue's proposal as a `kueue.x-k8s.io/v1beta2` ClusterQueue with its
    /// `spec.resourceGroups` (one group per flavor set covering the same resources), as JSON.
    public static func clusterQueuesJSON(_ quotas: [ResourceQuota]) -> [(clusterQueue: String, json: String)] {
        let byQueue = Dictionary(grouping: quotas, by: \.clusterQueue)
        return byQueue.keys.sorted().map { queue in
            let entries = byQueue[queue]!
            // Flavors covering the same resources form one resource group, as Kueue requires.
            let byFlavor = Dictionary(grouping: entries, by: \.flavor)
            let groups = Dictionary(grouping: byFlavor.keys.sorted()) { flavor in byFlavor[flavor]!.map(\.resource).sorted() }
            let groupJSON = groups.keys.sorted { $0.joined(separator: ",") < $1.joined(separator: ",") }.map { covered in
                let flavors = groups[covered]!.map { flavor in
                    let resources = byFlavor[flavor]!.sorted { $0.resource < $1.resource }.map { r in
                        var fields = [#""name":\#(quote(r.resource))"#, #""nominalQuota":\#(quote(quantity(r.nominalQuota, resource: r.resource)))"#]
                        if let b = r.borrowingLimit { fields.append(#""borrowingLimit":\#(quote(quantity(b, resource: r.resource)))"#) }
                        if let l = r.lendingLimit { fields.append(#""lendingLimit":\#(quote(quantity(l, resource: r.resource)))"#) }
                        return "{" + fields.joined(separator: ",") + "}"
                    }
                    return #"{"name":\#(quote(flavor)),"resources":[\#(resources.joined(separator: ","))]}"#
                }
                return #"{"coveredResources":[\#(covered.map(quote).joined(separator: ","))],"flavors":[\#(flavors.joined(separator: ","))]}"#
            }
            let json = #"{"apiVersion":"kueue.x-k8s.io/v1beta2","kind":"ClusterQueue","metadata":{"name":\#(quote(queue))},"#
                + #""spec":{"resourceGroups":[\#(groupJSON.joined(separator: ","))]}}"#
            return (queue, json)
        }
    }

    /// A Kubernetes quantity: memory in the largest binary unit that divides it (`512Gi`),
    /// CPU in millicores when fractional (`1500m`), whole numbers as they are.
    public static func quantity(_ value: Double, resource: String) -> String {
        if resource == "memory" || resource.hasSuffix("ephemeral-storage") {
            let bytes = Int64(value.rounded())
            for (suffix, size) in [("Ti", Int64(1) << 40), ("Gi", Int64(1) << 30), ("Mi", Int64(1) << 20), ("Ki", Int64(1) << 10)]
            where bytes >= size && bytes % size == 0 {
                return "\(bytes / size)\(suffix)"
            }
            return "\(bytes)"
        }
        if value == value.rounded() { return "\(Int64(value))" }
        return "\(Int64((value * 1000).rounded()))m"
    }

    private static func quote(_ s: String) -> String { JSONString.quote(s) }
}
