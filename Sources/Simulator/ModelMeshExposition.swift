import Exposition

/// One simulated ModelMesh runtime pod's `/metrics` (:2112, per-model metrics on), with its
/// quirks: label sets ending in a trailing comma are not reproduced (the writer is canonical),
/// counters without `_total`, Java-style floats.
enum ModelMeshExposition {
    static func render(_ m: ModelServerSim, replica r: Int) -> [UInt8] {
        var w = ExpositionWriter(format: .prometheusText, capacity: 8192)
        let c = m.replicaCounters[r]
        let fnv = m.spec.name.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        let modelId = m.spec.name + "__isvc-" + String(fnv & 0xff_ffff_ffff, radix: 16)
        let base = [("method", "ModelInfer"), ("code", "OK"), ("modelId", modelId), ("vModelId", m.spec.name)]
        histogram(&w, "modelmesh_api_request_milliseconds", "Internal API request time", c.apiMillis, base)
        histogram(&w, "modelmesh_request_size_bytes", "Inference request payload size", c.requestBytes, base)
        for (name, help) in [("modelmesh_loadmodel_failure", "Model load failures"), ("modelmesh_unloadmodel_failure", "Model unload failures")] {
            w.writeHelp(name, help)
            w.writeType(name, .counter)
            w.writeSample(name, labels: [(String, String)](), value: 0)
        }
        let gauges: [(String, String, Double)] = [
            ("modelmesh_instance_models_total", "Number of model copies loaded in this instance", 1),
            ("modelmesh_instance_capacity_bytes", "Effective model capacity of this instance", 1.9922944e9),
            ("modelmesh_instance_used_bytes", "Amount of model capacity used by this instance", 1.572864e8),
            ("modelmesh_instance_used_bps", "Model capacity used by this instance in basis points", 789),
        ]
        for (name, help, v) in gauges {
            w.writeHelp(name, help)
            w.writeType(name, .gauge)
            w.writeSample(name, labels: [(String, String)](), value: v)
        }
        if r == 0 {
            // Deployment-wide gauges come from one pod at a time.
            w.writeHelp("modelmesh_models_loaded_total", "Total number of models with at least one loaded copy")
            w.writeType("modelmesh_models_loaded_total", .gauge)
            w.writeSample("modelmesh_models_loaded_total", labels: [(String, String)](), value: 1)
        }
        return w.bytes
    }

    static func histogram(_ w: inout ExpositionWriter, _ name: String, _ help: String, _ h: SimHistogram, _ base: [(String, String)]) {
        w.writeHelp(name, help)
        w.writeType(name, .histogram)
        for (le, v) in h.buckets(pythonStyle: true) {
            w.writeSample(name + "_bucket", labels: base + [("le", le)], value: v)
        }
        w.writeSample(name + "_count", labels: base, value: h.wholeCount)
        w.writeSample(name + "_sum", labels: base, value: h.sum)
    }
}
