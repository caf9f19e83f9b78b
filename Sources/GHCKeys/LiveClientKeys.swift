import GHCCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The client keys a running server accepts, reloaded when `keys add` or `keys revoke` changes the file, and what
/// each key has been used for since.
package final class LiveClientKeys: Sendable {
    /// The keys file.
    package let file: String
    /// The usage file.
    package let usageFile: String
    /// The keys now accepted, and the file's identity when they were read.
    private let keys: Mutex<(file: ClientKeyFile, signature: [Int])>
    /// Usage by key prefix, and whether it changed since it was last saved.
    private let usage: Mutex<(entries: [String: KeyUsageEntry], unsaved: Bool)>

    /// Loads the keys and the usage so far. A keys file that cannot be read is an error: a server must not start
    /// accepting fewer keys, or none, than the user made.
    package init(file: String, usageFile: String) throws(KeyError) {
        self.file = file
        self.usageFile = usageFile
        keys = Mutex((try ClientKeyFile.load(file), FileSignature.of(file)))
        usage = Mutex((ClientKeyUsage.load(usageFile), false))
    }

    /// Whether the keys file exists. Then every request needs a key, even when the last one was revoked: revoking
    /// a teammate's key must not open the server to everyone. Deleting the file opens it again.
    package var isInForce: Bool { keys.withLock { !$0.signature.isEmpty } }

    /// The unexpired key `presented` is, if any.
    package func match(_ presented: String, now: Date = Date()) -> ClientKey? {
        keys.withLock { $0.file.match(presented, now: now) }
    }

    /// Whether a key named `name` exists and has not expired.
    package func isCurrent(name: String, now: Date = Date()) -> Bool {
        keys.withLock { $0.file.keys.contains { $0.name == name && !$0.isExpired(at: now) } }
    }

    /// The keys with their usage, in the order they were added.
    package func listings() -> [KeyListing] {
        KeyListing.all(keys.withLock { $0.file }, usage: usage.withLock { $0.entries })
    }

    /// Rereads the keys file when it changed; returns what went wrong when the new file cannot be used (the keys
    /// read before stay in force).
    @discardableResult
    package func reloadIfChanged() -> KeyError? {
        let signature = FileSignature.of(file)
        guard signature != keys.withLock({ $0.signature }) else { return nil }
        do {
            let loaded = try ClientKeyFile.load(file)
            keys.withLock { $0 = (loaded, signature) }
            return nil
        } catch {
            keys.withLock { $0.signature = signature }
            return error
        }
    }

    /// Counts one request made with the key named `name`.
    package func count(name: String, inputTokens: Int, outputTokens: Int, at date: Date) {
        guard let prefix = keys.withLock({ $0.file.keys.first { $0.name == name }?.prefix }) else { return }
        usage.withLock { state in
            var entry = state.entries[prefix] ?? KeyUsageEntry()
            entry.requests += 1
            entry.inputTokens += inputTokens
            entry.outputTokens += outputTokens
            entry.lastUsedAt = date
            state.entries[prefix] = entry
            state.unsaved = true
        }
    }

    /// Writes the usage file when something was counted since the last save.
    package func saveUsage() throws(KeyError) {
        let entries: [String: KeyUsageEntry]? = usage.withLock { state in
            guard state.unsaved else { return nil }
            state.unsaved = false
            return state.entries
        }
        guard let entries else { return }
        do { try ClientKeyUsage.save(entries, to: usageFile) } catch {
            usage.withLock { $0.unsaved = true }
            throw error
        }
    }
}
