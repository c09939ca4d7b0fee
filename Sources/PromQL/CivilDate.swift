/// A UTC calendar date and time of day from Unix seconds (Howard Hinnant's civil-from-days),
/// for PromQL's calendar functions and the API's RFC 3339 times.
public struct CivilDate: Sendable, Equatable {
    public let year: Int64
    public let month: Int64
    public let day: Int64
    public let secondOfDay: Int64
    /// 0 = Sunday.
    public let weekday: Int64

    public init(unixSeconds s: Int64) {
        var days = s >= 0 ? s / 86_400 : (s - 86_399) / 86_400
        secondOfDay = s - days * 86_400
        weekday = ((days % 7) + 11) % 7
        days += 719_468
        let era = (days >= 0 ? days : days - 146_096) / 146_097
        let doe = days - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        day = doy - (153 * mp + 2) / 5 + 1
        month = mp < 10 ? mp + 3 : mp - 9
        year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    }

    public var isLeapYear: Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    public var daysInMonth: Int64 { [31, isLeapYear ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][Int(month) - 1] }

    public var dayOfYear: Int64 {
        let before: [Int64] = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        return before[Int(month) - 1] + day + (isLeapYear && month > 2 ? 1 : 0)
    }
}
