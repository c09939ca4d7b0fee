import PromQL

extension Backtest.Report {
    /// The comparison as a terminal table.
    public var table: String {
        func num(_ v: Double, _ digits: Int = 1) -> String {
            var s = String(Int((v * pow10(digits)).rounded()))
            if digits > 0 {
                let negative = s.hasPrefix("-")
                if negative { s.removeFirst() }
                while s.count <= digits { s = "0" + s }
                s.insert(".", at: s.index(s.endIndex, offsetBy: -digits))
                if negative { s = "-" + s }
            }
            return s
        }
        var lines: [String] = []
        let hours = Double(toMs - fromMs) / 3_600_000
        lines.append("Backtest over \(num(hours)) h at \(stepMs / 1000)s steps")
        if !replicas.isEmpty {
            lines.append("")
            lines.append(row(["policy", "strategy", "replica-hours", "SLO-breach min", "actions", "peak"]))
            for r in replicas {
                for o in [r.scalewatch, r.hpaDefaults] {
                    lines.append(row([r.policy, o.strategy, num(o.replicaHours), num(o.breachMinutes), "\(o.actions)", "\(o.peakReplicas)"]))
                }
                let saved = r.hpaDefaults.replicaHours - r.scalewatch.replicaHours
                lines.append("  \(r.policy): signal \(r.signal), a replica serves \(GoFloat.formatG(r.capacityPerReplica)) and starts in \(GoFloat.formatG(r.startupSeconds))s; "
                    + "Scalewatch uses \(num(abs(saved))) replica-hours \(saved >= 0 ? "fewer" : "more") than HPA defaults"
                    + (r.skippedSignals.isEmpty ? "" : "; not replayed (they depend on the replicas history ran with): \(r.skippedSignals.joined(separator: ", "))"))
            }
        }
        if !resources.isEmpty {
            lines.append("")
            lines.append(row(["policy", "container", "cpu slack (cores)", "memory slack (GiB)", "OOM-risk min", "final cpu / memory"]))
            for r in resources {
                lines.append(row([r.policy, r.container, num(r.meanCPUSlackCores, 3), num(r.meanMemorySlackBytes / 1_073_741_824, 2), num(r.oomRiskMinutes),
                                  "\(num(r.finalCPUCores, 3)) / \(num(r.finalMemoryBytes / 1_073_741_824, 2))Gi"]))
            }
        }
        return lines.joined(separator: "\n")
    }

    private func pow10(_ n: Int) -> Double { (0..<n).reduce(1.0) { r, _ in r * 10 } }

    private func row(_ cells: [String]) -> String {
        let widths = [34, 13, 14, 15, 8, 18]
        return zip(cells, widths + Array(repeating: 12, count: max(0, cells.count - widths.count))).map { c, w in
            c.count >= w ? c + " " : c + String(repeating: " ", count: w - c.count)
        }.joined().trimmingTrailingSpaces
    }

    /// The comparison as JSON.
    public var json: String {
        let str = JSONString.quote, num = JSONString.number
        func outcome(_ o: ReplicaReplay.Outcome) -> String {
            #"{"strategy":\#(str(o.strategy)),"replicaHours":\#(num(o.replicaHours)),"sloBreachMinutes":\#(num(o.breachMinutes)),"actions":\#(o.actions),"peakReplicas":\#(o.peakReplicas)}"#
        }
        let replicaJSON = replicas.map { r in
            #"{"policy":\#(str(r.policy)),"signal":\#(str(r.signal)),"capacityPerReplica":\#(num(r.capacityPerReplica)),"startupSeconds":\#(num(r.startupSeconds)),"#
                + #""scalewatch":\#(outcome(r.scalewatch)),"hpaDefaults":\#(outcome(r.hpaDefaults)),"#
                + #""notReplayed":[\#(r.skippedSignals.map(str).joined(separator: ","))]}"#
        }
        let resourceJSON = resources.map { r in
            #"{"policy":\#(str(r.policy)),"container":\#(str(r.container)),"meanCPUSlackCores":\#(num(r.meanCPUSlackCores)),"#
                + #""meanMemorySlackBytes":\#(num(r.meanMemorySlackBytes)),"oomRiskMinutes":\#(num(r.oomRiskMinutes)),"#
                + #""finalCPUCores":\#(num(r.finalCPUCores)),"finalMemoryBytes":\#(num(r.finalMemoryBytes))}"#
        }
        return #"{"from":\#(Double(fromMs) / 1000),"to":\#(Double(toMs) / 1000),"stepSeconds":\#(Double(stepMs) / 1000),"#
            + #""replicas":[\#(replicaJSON.joined(separator: ","))],"resources":[\#(resourceJSON.joined(separator: ","))]}"#
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s.removeLast() }
        return String(s)
    }
}
