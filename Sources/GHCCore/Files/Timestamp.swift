#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Timestamp formats used in file names and output: in UTC, or in the local time zone where the name says so.
package enum Timestamp {
    /// `YYYYMMDD-HHMMSS`, for backup file names.
    package static func compact(_ date: Date) -> String {
        let c = components(date)
        return year4(c.year) + pad(c.month) + pad(c.day) + "-" + pad(c.hour) + pad(c.minute) + pad(c.second)
    }

    /// `YYYY-MM-DDTHH:MM:SSZ`.
    package static func iso8601(_ date: Date) -> String {
        let c = components(date)
        return "\(year4(c.year))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))Z"
    }

    /// `YYYY-MM-DD` in the local time zone (the daily request files' names).
    package static func localDay(_ date: Date) -> String {
        let c = components(date, in: TimeZone.current)
        return "\(year4(c.year))-\(pad(c.month))-\(pad(c.day))"
    }

    /// `YYYYMMDD_HHMMSS` in the local time zone (sync backups, as ghc-api 1.0.31 names them).
    package static func localCompact(_ date: Date) -> String {
        let c = components(date, in: TimeZone.current)
        return year4(c.year) + pad(c.month) + pad(c.day) + "_" + pad(c.hour) + pad(c.minute) + pad(c.second)
    }

    /// `YYYY-MM-DDTHH:MM:SS` in the local time zone, without a zone (as ghc-api 1.0.31 shows hash file times).
    package static func localISO(_ date: Date) -> String {
        let c = components(date, in: TimeZone.current)
        return "\(year4(c.year))-\(pad(c.month))-\(pad(c.day))T\(pad(c.hour)):\(pad(c.minute)):\(pad(c.second))"
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffff` in the local time zone, without a zone (Python's `datetime.now().isoformat()`,
    /// which ghc-api 1.0.31 writes in agent session files).
    package static func localISOMicroseconds(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        let micros = Int(((seconds - seconds.rounded(.down)) * 1_000_000).rounded(.down))
        let digits = micros.description
        return localISO(date) + "." + String(repeating: "0", count: Swift.max(0, 6 - digits.count)) + digits
    }

    private static func year4(_ value: Int) -> String {
        let digits = value.description
        return String(repeating: "0", count: Swift.max(0, 4 - digits.count)) + digits
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private static func components(
        _ date: Date,
        in zone: TimeZone? = TimeZone(identifier: "UTC")
    ) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone ?? calendar.timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return (parts.year ?? 1970, parts.month ?? 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
    }
}
