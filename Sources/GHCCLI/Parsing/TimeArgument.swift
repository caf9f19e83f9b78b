#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A `--since`/`--until` value: a day (`YYYY-MM-DD`, its first second, or its last with `endOfDay`) or an ISO-8601
/// time, in seconds since 1970.
enum TimeArgument {
    /// Reads the value of `flag`; a day is taken in `zone` (`nil`: UTC).
    static func parse(
        _ text: String?,
        flag: String,
        endOfDay: Bool,
        zone: TimeZone?,
        path: [String]
    ) throws(UsageError) -> Double? {
        guard let text else { return nil }
        if text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) {
            let offset = Double(zone?.secondsFromGMT(for: date) ?? 0)
            return date.timeIntervalSince1970 - offset + (endOfDay ? 86_399 : 0)
        }
        if let date = try? Date(text, strategy: .iso8601) { return date.timeIntervalSince1970 }
        let day = zone == nil ? "a day (YYYY-MM-DD, UTC)" : "a date (YYYY-MM-DD)"
        throw .invalidValue(flag: flag, value: text, expected: "\(day) or an ISO-8601 time", path: path)
    }
}
