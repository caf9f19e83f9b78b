/// One thing wrong (or worth saying) about a config file, with where it is.
package struct ConfigProblem: Sendable, Equatable, CustomStringConvertible {
    /// How serious it is.
    package enum Severity: String, Sendable {
        /// The file cannot be used as it is.
        case error
        /// The file works, but something in it has no effect.
        case warning
    }

    /// How serious it is.
    package let severity: Severity
    /// The file.
    package let file: String
    /// The 1-based line, when known.
    package let line: Int?
    /// The key path, such as `model_mappings.exact`, when the problem is about a key.
    package let key: String?
    /// What is wrong and what was expected.
    package let message: String

    /// Creates a problem report.
    package init(_ severity: Severity, file: String, line: Int?, key: String?, message: String) {
        self.severity = severity
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    /// `file:line: key: message`, as compilers print it.
    package var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if severity == .warning { text += "warning: " }
        if let key { text += "\(key): " }
        return text + message
    }
}

/// Errors of loading and changing the configuration.
package enum ConfigError: Error, CustomStringConvertible, Equatable {
    /// The file has problems; the first is shown, `config check` lists all.
    case invalid([ConfigProblem])
    /// `config get/set` named a key that does not exist.
    case unknownKey(String, suggestion: String?)
    /// A value given on the command line does not fit the key.
    case invalidValue(key: String, message: String)
    /// The file could not be read or written.
    case file(FileStoreError)

    /// One line for the user.
    package var description: String {
        switch self {
        case .invalid(let problems):
            let errors = problems.filter { $0.severity == .error }
            guard let first = errors.first else { return "invalid configuration" }
            let more = errors.count > 1 ? " (and \(errors.count - 1) more; run `ghc-api config check`)" : ""
            return first.description + more
        case .unknownKey(let key, let suggestion):
            return "unknown config key '\(key)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .invalidValue(let key, let message):
            return "\(key): \(message)"
        case .file(let error):
            return error.description
        }
    }
}
