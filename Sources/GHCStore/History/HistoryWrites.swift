import NIOPosix
import SQLiteNIO
import Synchronization

/// The writes of `requests.db`, all on the writing connection (only the history's writer calls them, one at a time).
extension HistoryDatabase {
    /// Inserts records in one transaction, with their search text; returns the ids that were new (a stored id is
    /// skipped). The rows are made (bodies compressed, search text cut) on the blocking pool, never on an event loop.
    ///
    /// Each statement inserts many rows: SQLiteNIO runs every statement as its own job on the blocking pool and
    /// resumes the writer on an event loop, so a statement per row woke two threads twice for every request.
    ///
    /// A large client body goes in as a delta of one stored shortly before when they share most of their bytes
    /// (`BodyBases`); the bases are those of earlier transactions, checked to be still stored inside this one.
    package func insert(_ records: [RequestRecord]) async throws -> [String] {
        var rows = try await Self.rows(of: records, bases: bodyBases.withLock { $0 })
        let inserted = try await transaction {
            if try await !basesAreStored(rows) {
                // Pruned meanwhile (another `serve` on the same file): these bodies are stored whole instead.
                bodyBases.withLock { $0.removeAll() }
                rows = try await Self.rows(of: records, bases: BodyBases())
            }
            var inserted: [String] = []
            for start in stride(from: 0, to: rows.count, by: Self.rowsPerStatement) {
                inserted += try await insert(rows[start..<min(start + Self.rowsPerStatement, rows.count)])
            }
            return inserted
        }
        // Only a row that went in is a base: of rows sharing an id, the first (the one inserted), and only if new.
        var new = Set(inserted)
        let candidates = rows.compactMap { row -> (row: InsertRow, body: [UInt8])? in
            guard new.remove(row.id) != nil, let body = row.newBase else { return nil }
            return (row, body)
        }.suffix(BodyBases.capacity)
        let added = try await NIOThreadPool.singleton.runIfActive {
            candidates.map { BodyBases.Base(id: $0.row.id, timestamp: $0.row.timestamp, body: $0.body) }
        }
        bodyBases.withLock { $0.update(used: rows.compactMap(\.base), added: added) }
        return inserted
    }

    /// Whether every record the rows' client bodies are deltas of is in the table.
    private func basesAreStored(_ rows: [InsertRow]) async throws -> Bool {
        let bases = Array(Set(rows.compactMap(\.base)))
        guard !bases.isEmpty else { return true }
        let sql =
            "SELECT count(*) AS n FROM requests WHERE id IN (" + Array(repeating: "?", count: bases.count).joined(separator: ", ") + ")"
        return try await writer.query(sql, bases.map(SQLiteData.text)).first?.column("n")?.integer == bases.count
    }

    /// Rows per `INSERT`: 28 values each, well under SQLite's limit of 32,766 values in a statement.
    static let rowsPerStatement = 500

    /// Inserts `rows` and the search text of those that were new; returns their ids.
    private func insert(_ rows: ArraySlice<InsertRow>) async throws -> [String] {
        let stored = try await writer.query(HistoryRow.insertStatement(rows: rows.count), rows.flatMap(\.binds))
        var sequences: [String: Int] = [:]
        for row in stored {
            if let id = row.column("id")?.string, let sequence = row.column("seq")?.integer { sequences[id] = sequence }
        }
        // The first row of an id is the one inserted; a later one with the same id was ignored.
        let new = rows.compactMap { row in sequences.removeValue(forKey: row.id).map { (row, $0) } }
        guard !new.isEmpty else { return [] }
        try await writer.run(
            "INSERT INTO requests_text (rowid, model, endpoint, prompt, answer) VALUES "
                + HistoryRow.placeholders(rows: new.count, columns: 5),
            new.flatMap { row, sequence in [.integer(sequence)] + row.searchText }
        )
        return new.map(\.0.id)
    }

    /// The rows of `records`, made on the blocking pool, in two halves at once when there are bodies worth
    /// compressing in parallel (compressing a burst of large bodies is the writer's main work).
    private static func rows(of records: [RequestRecord], bases: BodyBases) async throws -> [InsertRow] {
        let middle = records.count / 2
        let bodyBytes = records.reduce(0) { $0 + $1.storedBytes }
        let row = { @Sendable (record: RequestRecord) in InsertRow(record, bases: bases) }
        guard middle > 0, bodyBytes > 1 << 20 else { return try await NIOThreadPool.singleton.runIfActive { records.map(row) } }
        async let first = NIOThreadPool.singleton.runIfActive { records[..<middle].map(row) }
        let second = try await NIOThreadPool.singleton.runIfActive { records[middle...].map(row) }
        return try await first + second
    }

    /// Deletes records that arrived before `cutoff`, then the oldest ones until the pages in use fit `maxBytes`;
    /// gives freed pages back to the file system. A record whose client body a later one is stored as a delta of
    /// goes with the last of those (at most `BodyBases.maximumAge` later). Returns how many records were deleted.
    func prune(before cutoff: Double, maxBytes: Int) async throws -> Int {
        var deleted = 0
        while true {
            let removed = try await deleteOldest(where: "timestamp < ?", [.float(cutoff)])
            deleted += removed
            if removed == 0 { break }
        }
        while try await usedBytes(on: writer) > maxBytes {
            let records = try await writer.query("SELECT count(*) AS n FROM requests").first?.column("n")?.integer ?? 0
            guard records > 0 else { break }
            // A tenth at a time (at least 100): a few rounds reach the budget without deleting far past it.
            let removed = try await deleteOldest(where: "1", [], limit: max(100, records / 10))
            deleted += removed
            if removed == 0 { break }
        }
        if deleted > 0 {
            // The bases' records may be among those deleted.
            bodyBases.withLock { $0.removeAll() }
            // Deleted rows leave tombstones in the full-text index until its segments are merged; a bounded merge frees
            // some each time (a whole `optimize` rewrote the index: seconds on a large one, with the writer blocked).
            try await writer.run("INSERT INTO requests_text (requests_text, rank) VALUES ('merge', 500)")
        }
        let free = try await writer.query("PRAGMA freelist_count").first?.column("freelist_count")?.integer ?? 0
        if free > 0 { try await writer.run("PRAGMA incremental_vacuum") }
        return deleted
    }

    /// Deletes up to `limit` of the oldest records matching a condition in one transaction; returns how many.
    private func deleteOldest(where condition: String, _ binds: [SQLiteData], limit: Int = 1000) async throws -> Int {
        try await transaction {
            try await writer.query(
                "DELETE FROM requests WHERE seq IN (SELECT seq FROM requests WHERE (\(condition)) AND id NOT IN "
                    + "(SELECT body_base FROM requests WHERE body_base IS NOT NULL) ORDER BY timestamp LIMIT ?) RETURNING seq",
                binds + [.integer(limit)]
            ).count
        }
    }

    /// Runs `body` in a write transaction on the writing connection.
    private func transaction<T>(_ body: () async throws -> T) async throws -> T {
        try await writer.run("BEGIN IMMEDIATE")
        do {
            let result = try await body()
            try await writer.run("COMMIT")
            return result
        } catch {
            try? await writer.run("ROLLBACK")
            throw error
        }
    }
}

/// One record's row and search text, ready to bind.
private struct InsertRow: Sendable {
    let id: String
    let binds: [SQLiteData]
    let searchText: [SQLiteData]
    /// When the record arrived.
    let timestamp: Double
    /// The record whose client body this one's is a delta of.
    let base: String?
    /// This record's client body, stored whole, as a base for later ones.
    let newBase: [UInt8]?

    init(_ record: borrowing RequestRecord, bases: BodyBases) {
        let text = SearchText(record)
        let original = record.originalRequestBody.map { bases.column(for: $0, at: record.timestamp) }
        id = record.id
        timestamp = record.timestamp
        base = original?.base
        newBase = original?.newBase
        binds = HistoryRow.binds(record, original: original)
        searchText = [
            .text([record.model, record.translatedModel ?? ""].joined(separator: " ")), .text(record.endpoint), .text(text.prompt),
            .text(text.answer),
        ]
    }
}
