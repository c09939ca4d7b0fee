import ConfigSupport

/// Per-scrape limits; 0 means no limit. Exceeding one fails the whole scrape.
public struct ScrapeLimits: Sendable, Equatable {
    public var sampleLimit = 0
    public var labelLimit = 0
    public var labelNameLengthLimit = 0
    public var labelValueLengthLimit = 0
    /// Bytes of the uncompressed body.
    public var bodySizeLimit: Int64 = 0

    public init() {}

    init(reading m: ConfigMapping) {
        for (key, path) in [
            ("sample_limit", \ScrapeLimits.sampleLimit), ("label_limit", \.labelLimit),
            ("label_name_length_limit", \.labelNameLengthLimit), ("label_value_length_limit", \.labelValueLengthLimit),
        ] {
            guard let n = m[key], let v = n.int else { continue }
            if v < 0 { n.fail("must not be negative") } else { self[keyPath: path] = v }
        }
        if let n = m["body_size_limit"], let v = n.byteSize { bodySizeLimit = v }
    }
}
