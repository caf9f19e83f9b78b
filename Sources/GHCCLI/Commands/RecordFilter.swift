import GHCStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The `--since/--until/--model/--status` filter of `export`.
struct RecordFilter: Sendable {
    /// The earliest timestamp accepted (seconds since 1970), if any.
    var since: Double?
    /// The latest timestamp accepted (seconds since 1970), if any.
    var until: Double?
    /// The model to keep, matched against the client's model name or the Copilot one.
    var model: String?
    /// The status to keep: a code (`200`), a class (`4xx`), `ok` or `error`.
    var status: String?

    /// Reads the flags; dates are `YYYY-MM-DD` (local day, `--until` inclusive) or ISO-8601 times.
    init(_ arguments: ParsedArguments) throws(UsageError) {
        since = try Self.time(arguments.value("since"), flag: "--since", endOfDay: false, path: arguments.path)
        until = try Self.time(arguments.value("until"), flag: "--until", endOfDay: true, path: arguments.path)
        model = arguments.value("model")
        status = arguments.value("status")
        if let status,
            !(status == "error" || status == "ok" || Int(status) != nil
                || (status.count == 3 && status.hasSuffix("xx") && Int(status.prefix(1)) != nil))
        {
            throw .invalidValue(
                flag: "--status",
                value: status,
                expected: "a status (200), a class (4xx), ok or error",
                path: arguments.path
            )
        }
    }

    /// The day of `since`, for picking daily files.
    var firstDay: String? { since.map { DailyFiles.day(of: Date(timeIntervalSince1970: $0)) } }
    /// The day of `until`, for picking daily files.
    var lastDay: String? { until.map { DailyFiles.day(of: Date(timeIntervalSince1970: $0)) } }

    /// Whether the record passes every filter that is set.
    func accepts(_ record: RequestRecord) -> Bool {
        if let since, record.timestamp < since { return false }
        if let until, record.timestamp > until { return false }
        if let model, record.model != model, record.translatedModel != model { return false }
        if let status {
            let code = record.statusCode ?? 0
            switch status {
            case "ok": if code >= 400 || record.state == .error { return false }
            case "error": if code < 400 && record.state != .error { return false }
            default:
                if status.hasSuffix("xx") {
                    if String(code).prefix(1) != status.prefix(1) { return false }
                } else if Int(status) != code {
                    return false
                }
            }
        }
        return true
    }

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
