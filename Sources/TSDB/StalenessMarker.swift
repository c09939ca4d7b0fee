/// Prometheus's staleness marker: a NaN with one specific bit pattern, written when a series
/// vanishes. Ordinary NaNs are values; only this exact pattern ends a series.
public enum StalenessMarker {
    public static let bitPattern: UInt64 = 0x7ff0_0000_0000_0002
    public static let value = Double(bitPattern: bitPattern)

    @inlinable public static func isStale(_ v: Double) -> Bool { v.bitPattern == 0x7ff0_0000_0000_0002 }
}
