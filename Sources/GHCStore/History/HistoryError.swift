import SQLiteNIO

/// Errors of the request history database.
package enum HistoryError: Error, CustomStringConvertible, Equatable {
    /// The database cannot be opened, created or written (a read-only folder, a full disk, a lock).
    case unavailable(String)
    /// The database was written by a newer ghc-api, whose schema this version does not know.
    case newerSchema(Int)
    /// A search this version cannot run: the reason, for the caller's 400.
    case badSearch(String)

    /// One line for the user.
    package var description: String {
        switch self {
        case .unavailable(let reason): reason
        case .newerSchema(let version):
            "requests.db has schema version \(version), newer than this ghc-api knows (\(HistorySchema.currentVersion)); upgrade ghc-api"
        case .badSearch(let reason): reason
        }
    }

    /// Wraps an SQLite failure.
    static func from(_ error: any Error) -> HistoryError {
        if let error = error as? HistoryError { return error }
        if let error = error as? SQLiteError { return .unavailable(error.message) }
        return .unavailable("\(error)")
    }
}

extension SQLiteError {
    /// Whether the file is not a database or its pages are damaged (as opposed to being locked, read-only or full).
    var isCorruption: Bool {
        let name = "\(reason)"
        return name.hasPrefix("corrupt") || name == "notADatabase"
    }

    /// Whether the FTS5 query could not be parsed.
    var isSearchSyntax: Bool {
        message.hasPrefix("fts5:") || message.contains("syntax error") || message.contains("unterminated")
            || message.contains("no such column")
    }
}
