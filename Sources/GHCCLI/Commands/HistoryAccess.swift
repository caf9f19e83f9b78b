import GHCStore
import Logging

/// Opening `requests.db` from a command (it may be in use by a running `serve`: readers and the writer coexist).
enum HistoryAccess {
    /// Opens the history database at `path`, logging a moved-aside damaged file on standard error.
    static func open(_ path: String) async throws -> HistoryDatabase {
        let logger = Logger(label: "ghc-api") { label in StreamLogHandler.standardError(label: label) }
        return try await HistoryDatabase.open(path: path, readers: 1, logger: logger)
    }
}
