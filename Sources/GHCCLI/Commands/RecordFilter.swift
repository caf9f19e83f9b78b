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
            // Days in the local time zone, as the daily files are named.
            since: try TimeArgument.parse(arguments.value("since"), flag: "--since", endOfDay: false, zone: .current, path: arguments.path),
            until: try TimeArgument.parse(arguments.value("until"), flag: "--until", endOfDay: true, zone: .current, path: arguments.path)
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
}
