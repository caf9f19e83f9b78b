import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// `<file>.<YYYYMMDD_HHMMSS>.bak` copies made before a synced file is overwritten, unique within one second
/// (`….bak`, then `…-2.bak`, `…-3.bak`).
package enum Backups {
    /// Copies `path` (when it exists) to a new backup beside it and returns the backup's path.
    package static func make(_ path: String, bytes: [UInt8], now: Date) throws(SyncError) -> String {
        let stamp = Timestamp.localCompact(now)
        var target = "\(path).\(stamp).bak"
        var counter = 2
        while FileStore.exists(target) {
            target = "\(path).\(stamp)-\(counter).bak"
            counter += 1
        }
        do {
            try FileStore.writeAtomically(bytes: bytes, to: target, mode: FileStore.permissions(of: path) ?? 0o600)
        } catch {
            throw .cannotWrite(target, error.description)
        }
        return target
    }

    /// The backups of `path`, newest first.
    package static func list(_ path: String) -> [String] {
        let folder = FileStore.parentDirectory(of: path)
        let base = String(path.split(separator: "/").last ?? Substring(path))
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        let backups = names.filter { name in
            guard name.hasPrefix(base + "."), name.hasSuffix(".bak") else { return false }
            let middle = name.dropFirst(base.count + 1).dropLast(4)
            let stamp = middle.prefix(15)
            let suffix = middle.dropFirst(15)
            return stamp.count == 15 && stamp.dropFirst(8).first == "_"
                && (suffix.isEmpty || (suffix.first == "-" && Int(suffix.dropFirst()) != nil))
        }
        return backups.sorted { order($0, base: base) > order($1, base: base) }.map { folder + "/" + $0 }
    }

    /// Deletes all but the newest `keep` backups of `path`; returns the deleted paths.
    package static func prune(_ path: String, keep: Int) -> [String] {
        let doomed = Array(list(path).dropFirst(keep))
        for file in doomed { _ = unlink(file) }
        return doomed
    }

    /// Sorts by stamp, then by counter (`-10` after `-9`).
    private static func order(_ name: String, base: String) -> String {
        let middle = name.dropFirst(base.count + 1).dropLast(4)
        let counter = Int(middle.dropFirst(16)) ?? 1
        let digits = String(counter)
        return String(middle.prefix(15)) + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
    }
}
