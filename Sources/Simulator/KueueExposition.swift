import Exposition

/// The simulated Kueue controller's `/metrics`, with Kueue v0.19's names, types and labels
/// (quota gauges as with `metrics.enableClusterQueueResources: true`).
enum KueueExposition {
    static func render(_ k: KueueSim) -> [UInt8] {
        var w = ExpositionWriter(format: .prometheusText, capacity: 16_384)
        let role = ("replica_role", "leader")
        func family(_ name: String, _ type: MetricType, _ help: String) {
            w.writeHelp(name, help)
            w.writeType(name, type)
        }
        family("kueue_admission_attempts_total", .counter, "The total number of attempts to admit workloads.")
        w.writeSample("kueue_admission_attempts_total", labels: [role, ("result", "inadmissible")], value: k.attemptsInadmissible)
        w.writeSample("kueue_admission_attempts_total", labels: [role, ("result", "success")], value: k.attemptsSuccess)

        family("kueue_admission_wait_time_seconds", .histogram, "The time between a workload was created or requeued until admission, per 'cluster_queue'")
        for q in k.queues {
            let base = [("cluster_queue", q.spec.name), ("priority_class", q.spec.priorityClass), role]
            for (le, count) in q.waitTime.buckets() {
                w.writeSample("kueue_admission_wait_time_seconds_bucket", labels: base + [("le", le)], value: count)
            }
            w.writeSample("kueue_admission_wait_time_seconds_sum", labels: base, value: q.waitTime.sum)
            w.writeSample("kueue_admission_wait_time_seconds_count", labels: base, value: q.waitTime.wholeCount)
        }
        family("kueue_admitted_active_workloads", .gauge, "The number of admitted Workloads that are active (unsuspended and not finished), per 'cluster_queue'")
        for q in k.queues {
            w.writeSample("kueue_admitted_active_workloads", labels: [("cluster_queue", q.spec.name), role], value: Double(q.running.count))
        }
        family("kueue_admitted_workloads_total", .counter, "The total number of admitted workloads per 'cluster_queue'")
        for q in k.queues {
            w.writeSample("kueue_admitted_workloads_total", labels: [("cluster_queue", q.spec.name), ("priority_class", q.spec.priorityClass), role], value: q.admittedTotal)
        }
        family("kueue_build_info", .gauge, "Kueue build information. 1 labeled by git version, git commit, build date, go version, compiler, platform")
        w.writeSample("kueue_build_info", labels: [("build_date", "2026-08-20T14:41:07Z"), ("compiler", "gc"), ("git_commit", "simulated"),
                                                   ("git_version", "v0.19.2"), ("go_version", "go1.26.4"), ("platform", "linux/amd64")], value: 1)
        quotaFamilies(k, &w, role)
        family("kueue_cluster_queue_status", .gauge, "Reports 'cluster_queue' with its 'status' (with possible values 'pending', 'active' or 'terminated').\nFor a ClusterQueue, the metric only reports a value of 1 for one of the statuses.")
        for q in k.queues {
            for status in ["active", "pending", "terminating"] {
                w.writeSample("kueue_cluster_queue_status", labels: [("cluster_queue", q.spec.name), role, ("status", status)], value: status == "active" ? 1 : 0)
            }
        }
        family("kueue_local_queue_pending_workloads", .gauge, "The number of pending workloads, per 'local_queue' and 'status'.")
        for q in k.queues {
            let inadmissible = Double(q.pending.filter(\.inadmissible).count)
            for (status, v) in [("active", Double(q.pending.count) - inadmissible), ("inadmissible", inadmissible)] {
                w.writeSample("kueue_local_queue_pending_workloads", labels: [("name", q.spec.localQueue), ("namespace", q.spec.namespace), role, ("status", status)], value: v)
            }
        }
        family("kueue_pending_workloads", .gauge, "The number of pending workloads, per 'cluster_queue' and 'status'.")
        for q in k.queues {
            let inadmissible = Double(q.pending.filter(\.inadmissible).count)
            for (status, v) in [("active", Double(q.pending.count) - inadmissible), ("inadmissible", inadmissible)] {
                w.writeSample("kueue_pending_workloads", labels: [("cluster_queue", q.spec.name), role, ("status", status)], value: v)
            }
        }
        family("kueue_reserving_active_workloads", .gauge, "The number of Workloads that are reserving quota, per 'cluster_queue'")
        for q in k.queues {
            w.writeSample("kueue_reserving_active_workloads", labels: [("cluster_queue", q.spec.name), role], value: Double(q.running.count))
        }
        family("controller_runtime_reconcile_total", .counter, "Total number of reconciliations per controller")
        w.writeSample("controller_runtime_reconcile_total", labels: [("controller", "clusterqueue_controller"), ("result", "success")], value: k.reconciles.rounded(.down))
        return w.bytes
    }

    static func quotaFamilies(_ k: KueueSim, _ w: inout ExpositionWriter, _ role: (String, String)) {
        let families: [(String, String, (ClusterQueueSim, String, String) -> Double)] = [
            ("kueue_cluster_queue_borrowing_limit", "Reports the cluster_queue's resource borrowing limit within all the flavors",
             { q, f, r in q.spec.borrowingLimit[f]?[r] ?? .infinity }),
            ("kueue_cluster_queue_lending_limit", "Reports the cluster_queue's resource lending limit within all the flavors", { _, _, _ in .infinity }),
            ("kueue_cluster_queue_nominal_quota", "Reports the cluster_queue's resource nominal quota within all the flavors",
             { q, f, r in q.spec.nominalQuota[f]?[r] ?? 0 }),
            ("kueue_cluster_queue_resource_reservation", "Reports the cluster_queue's total resource reservation within all the flavors",
             { q, f, r in q.usage(f, r) }),
            ("kueue_cluster_queue_resource_usage", "Reports the cluster_queue's total resource usage within all the flavors",
             { q, f, r in q.usage(f, r) }),
        ]
        for (name, help, value) in families {
            w.writeHelp(name, help)
            w.writeType(name, .gauge)
            for q in k.queues {
                for f in q.flavors {
                    for r in KueueSim.resources {
                        w.writeSample(name, labels: [("cluster_queue", q.spec.name), ("cohort", q.spec.cohort), ("flavor", f), role, ("resource", r)], value: value(q, f, r))
                    }
                }
            }
        }
        w.writeHelp("kueue_cluster_queue_resource_pending", "Reports the cluster_queue's total pending resources")
        w.writeType("kueue_cluster_queue_resource_pending", .gauge)
        for q in k.queues {
            for r in KueueSim.resources {
                w.writeSample("kueue_cluster_queue_resource_pending", labels: [("cluster_queue", q.spec.name), role, ("resource", r)],
                              value: q.pending.reduce(0) { $0 + ($1.requests[r] ?? 0) })
            }
        }
    }
}
