/// Errors of config sync, each naming the file or folder involved.
package enum SyncError: Error, CustomStringConvertible, Equatable {
    /// Sync is off (`disable_onedrive_access: true`) and no OneDrive folder was named.
    case disabled
    /// No OneDrive folder was found.
    case notFound(String)
    /// A file could not be read.
    case unreadable(String, String)
    /// A file is not what it should be (invalid JSON or YAML, not UTF-8, cut short).
    case invalid(String, String)
    /// A file is larger than sync accepts.
    case tooLarge(String, Int)
    /// A link points outside the OneDrive folder and the home folder.
    case linkOutside(String, String)
    /// A file could not be written.
    case cannotWrite(String, String)
    /// The shared folder has no synced files.
    case noSyncFolder(String)

    /// One line for the user.
    package var description: String {
        switch self {
        case .disabled:
            "OneDrive access is disabled by config (disable_onedrive_access: true); set it to false with "
                + "`ghc-api config set disable_onedrive_access false`, or name the folder with --onedrive DIR or onedrive_path"
        case .notFound(let looked): "OneDrive path not found (looked in \(looked)); name it with --onedrive DIR or onedrive_path"
        case .unreadable(let path, let reason): "cannot read \(path): \(reason)"
        case .invalid(let path, let reason): "\(path) is not valid: \(reason); nothing was changed"
        case .tooLarge(let path, let size): "\(path) is \(size) bytes; sync takes files up to 10 MiB"
        case .linkOutside(let path, let target): "\(path) links to \(target), outside the OneDrive folder and your home; not followed"
        case .cannotWrite(let path, let reason): "cannot write \(path): \(reason)"
        case .noSyncFolder(let path): "Sync folder not found: \(path)"
        }
    }
}
