import Foundation
import GHCCore
import GHCSync

/// A change to a tool's settings file: shown as a unified diff, applied after backing the old file up as
/// `<file>.<YYYYMMDD_HHMMSS>.bak`, written atomically, and undone from the newest backup.
package struct SettingsChange: Sendable, Equatable {
    /// The settings file.
    package let path: String
    /// Its text now; nil when it does not exist.
    package let old: String?
    /// Its text after the change.
    package let new: String

    /// A change of `path` from `old` to `new`.
    package init(path: String, old: String?, new: String) {
        self.path = path
        self.old = old
        self.new = new
    }

    /// Whether anything would change.
    package var changes: Bool { old != new }

    /// The unified diff of the change (empty when nothing changes).
    package var diff: [String] {
        changes ? UnifiedDiff.make(old: old ?? "", new: new, oldName: old == nil ? "/dev/null" : path, newName: path) : []
    }

    /// The file's text, or nil when it does not exist.
    package static func read(_ path: String) throws(SetupError) -> String? {
        do { return try FileStore.readText(path) } catch { throw .cannotRead(path, error.description) }
    }

    /// Backs the old file up (when there is one) and writes the new text atomically, keeping the file's mode;
    /// returns the backup's path.
    package func apply(now: Date = Date()) throws(SetupError) -> String? {
        guard changes else { return nil }
        var backup: String?
        if let old {
            do { backup = try Backups.make(path, bytes: Array(old.utf8), now: now) } catch { throw .cannotWrite(path, error.description) }
        }
        do {
            try FileStore.ensureDirectory(FileStore.parentDirectory(of: path))
            try FileStore.writeAtomically(new, to: path, mode: FileStore.permissions(of: path) ?? 0o644)
        } catch {
            throw .cannotWrite(path, error.description)
        }
        return backup
    }

    /// The change that puts the newest backup back (`--undo`).
    package static func undo(_ path: String) throws(SetupError) -> (change: SettingsChange, backup: String) {
        guard let backup = Backups.list(path).first else { throw .noBackup(path) }
        guard let text = try read(backup) else { throw .noBackup(path) }
        return (SettingsChange(path: path, old: try read(path), new: text), backup)
    }
}
