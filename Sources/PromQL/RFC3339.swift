/// Formats epoch milliseconds as RFC 3339 in UTC (`2026-11-29T03:14:05.12Z`), as Go writes a
/// `time.Time` (trailing zeros of the fraction dropped) for Prometheus's API and Alertmanager's;
/// 0 is Go's zero time, `0001-01-01T00:00:00Z`.
public enum RFC3339 {
    public static func format(ms: Int64) -> String {
        if ms == 0 { return "0001-01-01T00:00:00Z" }
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let millis = ms - seconds * 1000
        let date = CivilDate(unixSeconds: seconds)
        let (year, month, day, secondOfDay) = (date.year, date.month, date.day, date.secondOfDay)
        func pad(_ v: Int64, _ n: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, n - s.count)) + s
        }
        var out = "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if millis != 0 {
            var frac = pad(millis, 3)
            while frac.hasSuffix("0") { frac.removeLast() }
            out += "." + frac
        }
        return out + "Z"
    }
}
