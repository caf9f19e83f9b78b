/// Errors of client API keys, each naming the key or the file involved.
package enum KeyError: Error, CustomStringConvertible, Equatable {
    /// A key of that name exists already.
    case duplicateName(String)
    /// No key has that name.
    case unknownName(String, known: [String])
    /// The name cannot be used.
    case invalidName(String)
    /// The keys file is not what ghc-api writes.
    case invalidFile(String, String)
    /// The keys file could not be read or written.
    case fileAccess(String, String)

    /// One line for the user.
    package var description: String {
        switch self {
        case .duplicateName(let name): "a key named '\(name)' exists already; revoke it first or choose another name"
        case .unknownName(let name, let known):
            "no key is named '\(name)'" + (known.isEmpty ? "; there are no keys" : "; the keys are: \(known.joined(separator: ", "))")
        case .invalidName(let name):
            "'\(name)' cannot name a key: use 1 to 64 letters, digits, '.', '_', '-' or '@'"
        case .invalidFile(let path, let reason): "\(path) is not a keys file ghc-api can read (\(reason)); nothing was changed"
        case .fileAccess(let path, let reason): "cannot use \(path): \(reason)"
        }
    }
}
