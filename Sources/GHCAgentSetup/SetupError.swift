/// What can go wrong while pointing tools at the proxy or installing them.
package enum SetupError: Error, Equatable, CustomStringConvertible {
    /// A settings file could not be read.
    case cannotRead(String, String)
    /// A settings file could not be written.
    case cannotWrite(String, String)
    /// A settings file is not what its tool writes, so it is left alone.
    case malformed(String, String)
    /// `--undo` found no backup.
    case noBackup(String)
    /// npm is not installed.
    case noNPM
    /// No model was named and there is no catalog to pick one from.
    case noModel(flag: String)

    /// One paragraph for the user.
    package var description: String {
        switch self {
        case .cannotRead(let path, let reason): "cannot read \(path): \(reason)"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .malformed(let path, let reason): "\(path) is left as it is: \(reason)"
        case .noBackup(let path): "no backup of \(path) to restore (backups are named \(path).<YYYYMMDD_HHMMSS>.bak)"
        case .noModel(let flag):
            "no model catalog (start `ghc-api serve`, or log in with `ghc-api auth login`), so give \(flag) MODEL"
        case .noNPM:
            "npm was not found. Install Node.js (which brings npm) from https://nodejs.org or your package manager, then run this again."
        }
    }
}
