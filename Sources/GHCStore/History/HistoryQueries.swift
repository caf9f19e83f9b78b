import SQLiteNIO

/// The reads of `requests.db`: pages, one record, and every record of a filter in batches.
extension HistoryDatabase {
    /// A page of records newest first: after `cursor` when given (keyset paging), else the `offset`-th record on.
    package func page(_ filter: HistoryFilter, cursor: HistoryCursor?, offset: Int, limit: Int) async throws(HistoryError) -> HistoryPage {
        let (condition, binds) = try filter.condition()
        var sql = "SELECT \(HistoryRow.summaryColumns) FROM requests WHERE \(condition)"
        var pageBinds = binds
        if let cursor {
            sql += " AND (timestamp, seq) < (?, ?)"
            pageBinds += [.float(cursor.timestamp), .integer(cursor.sequence)]
        }
        sql += " ORDER BY timestamp DESC, seq DESC LIMIT ? OFFSET ?"
        pageBinds += [.integer(limit + 1), .integer(cursor == nil ? offset : 0)]
        let rows = try await reading(sql, pageBinds)
        let total = try await reading("SELECT count(*) AS n FROM requests WHERE \(condition)", binds).first?.column("n")?.integer ?? 0
        let shown = rows.prefix(limit)
        let last = shown.last.map { HistoryCursor(timestamp: $0.column("timestamp")?.double ?? 0, sequence: HistoryRow.sequence($0)) }
        return HistoryPage(items: shown.map(HistoryRow.record), total: total, nextCursor: rows.count > limit ? last?.text : nil)
    }

    /// One record with its bodies.
    package func record(id: String) async throws(HistoryError) -> RequestRecord? {
        try await reading("SELECT \(HistoryRow.allColumns) FROM requests WHERE id = ?", [.text(id)]).first.map(HistoryRow.record)
    }

    /// Every record of the filter, oldest first, read `batch` at a time (memory holds one batch).
    package func each(_ filter: HistoryFilter, batch: Int = 64, _ body: ([RequestRecord]) async throws -> Void) async throws {
        let (condition, binds) = try filter.condition()
        var after = HistoryCursor(timestamp: -.infinity, sequence: 0)
        while true {
            let rows = try await reading(
                "SELECT \(HistoryRow.allColumns) FROM requests WHERE \(condition) AND (timestamp, seq) > (?, ?) "
                    + "ORDER BY timestamp, seq LIMIT ?",
                binds + [.float(after.timestamp), .integer(after.sequence), .integer(batch)]
            )
            guard let last = rows.last else { return }
            after = HistoryCursor(timestamp: last.column("timestamp")?.double ?? 0, sequence: HistoryRow.sequence(last))
            try await body(rows.map(HistoryRow.record))
        }
    }

    /// Records and pages in use (the file may hold free pages beyond them).
    package func size() async throws(HistoryError) -> (records: Int, bytes: Int) {
        let records = try await reading("SELECT count(*) AS n FROM requests").first?.column("n")?.integer ?? 0
        return (records, try await usedBytes(on: nil))
    }

    /// Bytes of pages in use: on the writing connection when given (inside its transaction), else a reading one.
    func usedBytes(on connection: SQLiteConnection?) async throws(HistoryError) -> Int {
        let sql = "SELECT (page_count - freelist_count) * page_size AS used FROM pragma_page_count, pragma_freelist_count, pragma_page_size"
        do {
            let rows = if let connection { try await connection.query(sql) } else { try await read(sql) }
            return rows.first?.column("used")?.integer ?? 0
        } catch {
            throw HistoryError.from(error)
        }
    }

    /// A read whose SQLite errors become `HistoryError`s: a search FTS5 cannot parse is a `badSearch`.
    private func reading(_ sql: String, _ binds: [SQLiteData] = []) async throws(HistoryError) -> [SQLiteRow] {
        do {
            return try await read(sql, binds)
        } catch let error as SQLiteError where error.isSearchSyntax {
            throw .badSearch("the search cannot be read: \(error.message)")
        } catch {
            throw HistoryError.from(error)
        }
    }
}
