import GHCStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `--since/--until/--model/--status` flags of `export`, read into a history filter.
struct RecordFilter: Sendable {
    /// The filter the flags describe.
    var filter: HistoryFilter

    /// Reads the flags; dates are `YYYY-MM-DD` (local day, `--until` inclusive) or ISO-8601 times.
    init(_ arguments: ParsedArguments) throws(UsageError) {
        filter = HistoryFilter(
            model: arguments.value("model"),
            status: arguments.value("status"),
            since: try Self.time(arguments.value("since"), flag: "--since", endOfDay: false, path: arguments.path),
            until: try Self.time(arguments.value("until"), flag: "--until", endOfDay: true, path: arguments.path)
        )
        if let status = filter.status, !HistoryFilter.isValidStatus(status) {
            throw .invalidValue(
                flag: "--status",
                value: status,
                expected: "a status (200), a class (4xx), ok or error",
                path: arguments.path
            )
        }
    }

    /// The day of `since`, for picking daily files.
    var firstDay: String? { filter.since.map { DailyFiles.day(of: Date(timeIntervalSince1970: $0)) } }
    /// The day of `until`, for picking daily files.
    var lastDay: String? { filter.until.map { DailyFiles.day(of: Date(timeIntervalSince1970: $0)) } }

    /// Whether the record passes every filter that is set.
    func accepts(_ record: RequestRecord) -> Bool { filter.accepts(record) }

    private static func time(_ text: String?, flag: String, endOfDay: Bool, path: [String]) throws(UsageError) -> Double? {
        guard let text else { return nil }
        if text.count == 10, let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) {
            // A day in the local time zone, as the daily files are named.
            let offset = Double(TimeZone.current.secondsFromGMT(for: date))
            return date.timeIntervalSince1970 - offset + (endOfDay ? 86_399 : 0)
        }
        if let date = try? Date(text, strategy: .iso8601) { return date.timeIntervalSince1970 }
        throw .invalidValue(flag: flag, value: text, expected: "a date (YYYY-MM-DD) or an ISO-8601 time", path: path)
    }
}
