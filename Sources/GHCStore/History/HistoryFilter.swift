import SQLiteNIO

/// Which records a list, search or export wants: each set field narrows the result.
package struct HistoryFilter: Sendable, Equatable {
    /// Words to find (see `SearchExpression`).
    package var search: String?
    /// The model, matched against the client's name or the Copilot one.
    package var model: String?
    /// The route, such as `/v1/messages`.
    package var endpoint: String?
    /// A status (`200`), a class (`4xx`), `ok` or `error`.
    package var status: String?
    /// The earliest arrival accepted, in seconds since 1970.
    package var since: Double?
    /// The latest arrival accepted, in seconds since 1970.
    package var until: Double?

    /// Creates a filter.
    package init(
        search: String? = nil,
        model: String? = nil,
        endpoint: String? = nil,
        status: String? = nil,
        since: Double? = nil,
        until: Double? = nil
    ) {
        self.search = search
        self.model = model
        self.endpoint = endpoint
        self.status = status
        self.since = since
        self.until = until
    }

    /// Whether `status` is a form this filter understands.
    package static func isValidStatus(_ status: String) -> Bool {
        status == "error" || status == "ok" || Int(status) != nil
            || (status.count == 3 && status.hasSuffix("xx") && Int(status.prefix(1)) != nil)
    }

    /// Whether a record passes every field except `search` (records read from files rather than the database).
    package func accepts(_ record: RequestRecord) -> Bool {
        if let since, record.timestamp < since { return false }
        if let until, record.timestamp > until { return false }
        if let model, record.model != model, record.translatedModel != model { return false }
        if let endpoint, record.endpoint != endpoint { return false }
        guard let status else { return true }
        let code = record.statusCode ?? 0
        let failed = code >= 400 || record.state == .error
        switch status {
        case "ok": return !failed
        case "error": return failed
        default: return status.hasSuffix("xx") ? String(code).prefix(1) == status.prefix(1) : Int(status) == code
        }
    }

    /// The SQL condition and its values (`1` when nothing is set).
    func condition() throws(HistoryError) -> (sql: String, binds: [SQLiteData]) {
        var clauses: [String] = []
        var binds: [SQLiteData] = []
        if let search, let expression = try SearchExpression.fts(search) {
            clauses.append("seq IN (SELECT rowid FROM requests_text WHERE requests_text MATCH ?)")
            binds.append(.text(expression))
        }
        if let model {
            clauses.append("(model = ? OR translated_model = ?)")
            binds += [.text(model), .text(model)]
        }
        if let endpoint {
            clauses.append("endpoint = ?")
            binds.append(.text(endpoint))
        }
        if let since {
            clauses.append("timestamp >= ?")
            binds.append(.float(since))
        }
        if let until {
            clauses.append("timestamp <= ?")
            binds.append(.float(until))
        }
        if let status { clauses.append(Self.statusCondition(status)) }
        return (clauses.isEmpty ? "1" : clauses.joined(separator: " AND "), binds)
    }

    private static func statusCondition(_ status: String) -> String {
        switch status {
        case "ok": return "(COALESCE(status_code, 0) < 400 AND state != 'error')"
        case "error": return "(COALESCE(status_code, 0) >= 400 OR state = 'error')"
        default:
            if status.hasSuffix("xx"), let digit = Int(status.prefix(1)) {
                return "status_code BETWEEN \(digit * 100) AND \(digit * 100 + 99)"
            }
            return "status_code = \(Int(status) ?? -1)"
        }
    }
}
