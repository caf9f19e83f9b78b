import GHCCore
import Logging
import SQLiteNIO
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `requests.db`: one connection that writes (the history's writer owns it) and a few that read, so the dashboard's
/// queries run beside a write (WAL mode). Opening checks the file, moves a damaged one aside, and migrates the schema.
package final class HistoryDatabase: Sendable {
    /// The database file.
    package let path: String
    /// The connection that writes.
    let writer: SQLiteConnection
    /// The connections that read, used in turn.
    private let readers: [SQLiteConnection]
    private let nextReader = Atomic<Int>(0)
    /// The client bodies recent rows were stored whole with, that later ones are stored as deltas of (the writer's).
    let bodyBases = Mutex(BodyBases())

    private init(path: String, writer: SQLiteConnection, readers: [SQLiteConnection]) {
        self.path = path
        self.writer = writer
        self.readers = readers
    }

    /// Opens (creating when missing) the database at `path`. A file that is not a database is moved to
    /// `<path>.corrupt-<time>` (logged once) and a new one is created in its place; `verify` checks every page later.
    package static func open(path: String, readers: Int = 3, logger: Logger) async throws(HistoryError) -> HistoryDatabase {
        do {
            try FileStore.ensureDirectory(FileStore.parentDirectory(of: path))
        } catch {
            throw .unavailable("cannot create the folder of \(path): \(error)")
        }
        var opened: [SQLiteConnection] = []
        do {
            let writer = try await openChecked(path)
            opened.append(writer)
            var readerConnections: [SQLiteConnection] = []
            for _ in 0..<max(1, readers) {
                let reader = try await SQLiteConnection.open(storage: .file(path: path), logger: quiet)
                opened.append(reader)
                try await reader.run("PRAGMA busy_timeout = 5000")
                try await reader.run("PRAGMA query_only = 1")
                readerConnections.append(reader)
            }
            return HistoryDatabase(path: path, writer: writer, readers: readerConnections)
        } catch let damage as DamagedDatabase {
            try moveAside(path, because: damage, logger: logger)
            return try await open(path: path, readers: readers, logger: logger)
        } catch {
            for connection in opened { try? await connection.close() }
            throw HistoryError.from(error)
        }
    }

    /// Whether an error is about the record written (too big, a constraint), not the file: retrying it cannot help.
    static func isRecordProblem(_ error: any Error) -> Bool {
        guard let error = error as? SQLiteError else { return false }
        let name = "\(error.reason)"
        return name.hasPrefix("tooBig") || name.hasPrefix("constraint") || name.hasPrefix("mismatch") || name.hasPrefix("range")
    }

    /// Whether an error says the file is damaged.
    static func isCorruption(_ error: any Error) -> Bool {
        error is DamagedDatabase || (error as? SQLiteError)?.isCorruption == true
    }

    /// Closes every connection.
    package func close() async {
        for connection in readers + [writer] { try? await connection.close() }
    }

    /// Runs a read on the next reading connection.
    func read(_ sql: String, _ binds: [SQLiteData] = []) async throws -> [SQLiteRow] {
        let index = nextReader.add(1, ordering: .relaxed).oldValue
        return try await readers[index % readers.count].query(sql, binds)
    }

    /// The writing connection, opened, checked and migrated.
    private static func openChecked(_ path: String) async throws -> SQLiteConnection {
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: quiet)
        do {
            try await connection.run("PRAGMA busy_timeout = 5000")
            try await check(connection)
            try await migrate(connection)
            // The prompts in it are as private as the token file.
            for file in [path, path + "-wal", path + "-shm"] { _ = chmod(file, 0o600) }
            return connection
        } catch {
            try? await connection.close()
            throw error
        }
    }

    /// Sets the journal up and reads the schema; a file that is not a database throws `DamagedDatabase`.
    private static func check(_ connection: SQLiteConnection) async throws {
        do {
            // Set before the first table exists; a no-op on an existing database.
            try await connection.run("PRAGMA auto_vacuum = INCREMENTAL")
            try await connection.run("PRAGMA journal_mode = WAL")
            try await connection.run("PRAGMA synchronous = NORMAL")
            try await connection.run("SELECT count(*) FROM sqlite_schema")
        } catch let error as SQLiteError where error.isCorruption {
            throw DamagedDatabase(detail: error.message)
        }
    }

    /// Checks every page (`PRAGMA quick_check`: seconds for gigabytes, so the history runs it after opening, while
    /// the dashboard already reads); throws `DamagedDatabase` when a page is damaged.
    package func verify() async throws {
        do {
            let result = try await writer.query("PRAGMA quick_check(1)").first?.column("quick_check")?.string
            if result != "ok" { throw DamagedDatabase(detail: result ?? "quick_check failed") }
        } catch let error as SQLiteError where error.isCorruption {
            throw DamagedDatabase(detail: error.message)
        }
    }

    /// Runs the migrations not yet run, in one transaction (another process may be migrating the same file).
    private static func migrate(_ connection: SQLiteConnection) async throws {
        try await connection.run("BEGIN IMMEDIATE")
        do {
            let version = try await connection.query("PRAGMA user_version").first?.column("user_version")?.integer ?? 0
            if version > HistorySchema.currentVersion { throw HistoryError.newerSchema(version) }
            for migration in HistorySchema.migrations.dropFirst(version) {
                for statement in migration { try await connection.run(statement) }
            }
            try await connection.run("PRAGMA user_version = \(HistorySchema.currentVersion)")
            try await connection.run("COMMIT")
        } catch {
            try? await connection.run("ROLLBACK")
            throw error
        }
    }

    /// Moves a damaged database and its WAL to `<path>.corrupt-<time>`, with one line in the log.
    static func moveAside(_ path: String, because damage: DamagedDatabase, logger: Logger) throws(HistoryError) {
        let target = "\(path).corrupt-\(Timestamp.compact(Date()))"
        guard rename(path, target) == 0 else {
            throw .unavailable("\(path) is damaged (\(damage.detail)) and cannot be moved aside: \(String(cString: strerror(errno)))")
        }
        _ = rename(path + "-wal", target + "-wal")
        _ = unlink(path + "-shm")
        logger.warning("\(path) is damaged (\(damage.detail)); moved it to \(target) and started a new history")
    }

    /// SQLiteNIO logs every statement at debug level; its own logger stays quiet.
    private static var quiet: Logger {
        var logger = Logger(label: "ghc-api.history.sqlite")
        logger.logLevel = .warning
        return logger
    }
}

extension SQLiteConnection {
    /// Runs a statement whose rows (if any) are not needed.
    func run(_ sql: String, _ binds: [SQLiteData] = []) async throws {
        try await query(sql, binds) { _ in }
    }
}

/// A database file that is not one, or whose pages are damaged.
struct DamagedDatabase: Error {
    /// What SQLite said.
    let detail: String
}
