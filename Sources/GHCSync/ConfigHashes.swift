import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The `config.sha1` files: SHA-1 of `[ghc-api]` + config.yaml + `[claude]` + settings.json + `[codex]` + the Codex
/// header (`<missing>` for a file that is not there), 40 hex digits without a newline, as the original writes them.
package enum ConfigHashes {
    /// The hash of three files' bytes (`nil`: missing), each reduced to what is shared.
    package static func hash(_ files: [SyncKey: [UInt8]]) -> String {
        var digest = SHA1()
        for key in [SyncKey.ghcAPI, .claude, .codex] {
            digest.update(Array(key.hashTag.utf8))
            digest.update(files[key].map(key.shared) ?? Array("<missing>".utf8))
        }
        return digest.hexDigest()
    }

    /// Writes `hash` to `path` when the file is missing, holds another hash, or is older than `newest` (a local file's
    /// change time); returns whether it wrote.
    static func refresh(_ path: String, hash: String, newest: Double?) throws(SyncError) -> Bool {
        let current = (try? FileStore.readText(path)).flatMap { $0 }?.trimmedWhitespace
        // A file changed after the hash was written makes it stale; a change time in the future (another machine's
        // clock ahead) does not, or every look would rewrite the shared file.
        let now = Date().timeIntervalSince1970
        let stale = current != hash || (newest.map { $0 > (SyncFileAccess.modified(path) ?? 0) && $0 <= now } ?? false)
        guard stale else { return false }
        do {
            try FileStore.ensureDirectory(FileStore.parentDirectory(of: path), mode: 0o755)
            try FileStore.writeAtomically(hash, to: path, mode: 0o644)
        } catch {
            throw .cannotWrite(path, error.description)
        }
        return true
    }

    /// One hash file as the status and `/api/config-manager/config-hashes` show it.
    package struct Entry: Sendable, Equatable {
        /// The file.
        package var path: String
        /// Its hash, when it exists.
        package var hash: String?
        /// Its change time, in seconds since 1970.
        package var created: Double?
        /// The machine it belongs to (`nil` for the shared one).
        package var machine: String?

        /// Reads a hash file.
        init(path: String, machine: String?) {
            self.path = path
            self.machine = machine
            hash = (try? FileStore.readText(path)).flatMap { $0 }?.trimmedWhitespace
            var info = stat()
            created = stat(path, &info) == 0 ? Double(info.st_ctim.tv_sec) : nil
        }

        /// `{path, exists, hash, created_ts, created_at[, machine]}`.
        package var json: JSONValue {
            var object: [String: JSONValue] = [
                "path": .string(path), "exists": .bool(hash != nil), "hash": hash.map(JSONValue.string) ?? .null,
                "created_ts": created.map { .int(Int($0)) } ?? .null,
                "created_at": created.map { .string(Timestamp.localISO(Date(timeIntervalSince1970: $0))) } ?? .null,
            ]
            if let machine { object["machine"] = .string(machine) }
            return .object(object)
        }
    }

    /// Every machine's hash file under `agents/` (`<machine>/ghc-api/config.sha1` first, as the original reads),
    /// sorted by name.
    static func machines(agents: String) -> [Entry] {
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: agents)) ?? []).filter { name in
            var info = stat()
            return stat(agents + "/" + name, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
        }
        return names.sorted { $0.lowercased() < $1.lowercased() }.map { name in
            let nested = "\(agents)/\(name)/ghc-api/config.sha1"
            return Entry(path: FileStore.exists(nested) ? nested : "\(agents)/\(name)/config.sha1", machine: name)
        }
    }
}
