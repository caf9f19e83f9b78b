/// A command line that does not fit the command specs. Reported in one line with a hint, exit 64.
package enum UsageError: Error, CustomStringConvertible, Equatable {
    /// An unknown command word.
    case unknownCommand(String, path: [String], suggestion: String?)
    /// An unknown flag.
    case unknownFlag(String, path: [String], suggestion: String?)
    /// A flag that needs a value was last.
    case missingValue(flag: String, path: [String])
    /// A switch was given a value.
    case unexpectedValue(flag: String, path: [String])
    /// A value does not fit its flag.
    case invalidValue(flag: String, value: String, expected: String, path: [String])
    /// A required positional is missing.
    case missingArgument(String, path: [String])
    /// More positionals than the command takes.
    case extraArgument(String, path: [String])
    /// A flag given twice that may be given once.
    case repeatedFlag(String, path: [String])
    /// A combination of otherwise valid arguments that does not make sense.
    case conflict(String, path: [String])

    /// The command the error is about, for the hint.
    package var path: [String] {
        switch self {
        case .unknownCommand(_, let path, _), .unknownFlag(_, let path, _), .missingValue(_, let path), .unexpectedValue(_, let path),
            .invalidValue(_, _, _, let path), .missingArgument(_, let path), .extraArgument(_, let path), .repeatedFlag(_, let path),
            .conflict(_, let path):
            path
        }
    }

    /// One line for the user.
    package var description: String {
        switch self {
        case .unknownCommand(let word, let path, let suggestion):
            let scope = path.isEmpty ? "" : " for '\(path.joined(separator: " "))'"
            return "unknown command '\(word)'\(scope)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .unknownFlag(let flag, _, let suggestion):
            return "unknown option '\(flag)'" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
        case .missingValue(let flag, _):
            return "option '\(flag)' needs a value"
        case .unexpectedValue(let flag, _):
            return "option '\(flag)' takes no value"
        case .invalidValue(let flag, let value, let expected, _):
            return "invalid value '\(value)' for '\(flag)': expected \(expected)"
        case .missingArgument(let name, _):
            return "missing argument \(name)"
        case .extraArgument(let value, _):
            return "unexpected argument '\(value)'"
        case .repeatedFlag(let flag, _):
            return "option '\(flag)' given more than once"
        case .conflict(let message, _):
            return message
        }
    }

    /// What to run for help.
    package var hint: String {
        "run 'ghc-api \((["help"] + path).joined(separator: " "))' for usage"
    }
}
