import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The client API keys of one config directory (`client_keys.json`, mode 0600): a salt and the keys' digests.
package struct ClientKeyFile: Sendable, Equatable {
    /// The format version written and understood.
    static let version = 1
    /// The salt every digest in the file is made with.
    let salt: [UInt8]
    /// The keys, in the order they were added.
    package private(set) var keys: [ClientKey]

    /// An empty file with a new salt.
    package init() {
        salt = KeySecret.newSalt()
        keys = []
    }

    /// The keys of `path`; an empty set when the file does not exist.
    package static func load(_ path: String) throws(KeyError) -> ClientKeyFile {
        let text: String?
        do { text = try FileStore.readText(path) } catch { throw .fileAccess(path, "\(error)") }
        guard let text else { return ClientKeyFile() }
        return try parse(text, path: path)
    }

    /// Reads the text of a keys file.
    static func parse(_ text: String, path: String) throws(KeyError) -> ClientKeyFile {
        let document: JSONValue
        do { document = try JSONValue.parse(Array(text.utf8)) } catch { throw .invalidFile(path, "not JSON: \(error)") }
        guard document["version"]?.intValue == version else {
            throw .invalidFile(path, "it has no \"version\": \(version)")
        }
        guard let salt = document["salt"]?.stringValue.flatMap(Hex.decode), salt.count >= 16 else {
            throw .invalidFile(path, "its salt is missing or shorter than 16 bytes")
        }
        var keys: [ClientKey] = []
        for (index, entry) in (document["keys"]?.arrayValue ?? []).enumerated() {
            guard let key = ClientKey(json: entry) else {
                throw .invalidFile(path, "key \(index + 1) lacks a name, prefix, sha256 or created_at")
            }
            keys.append(key)
        }
        return ClientKeyFile(salt: salt, keys: keys)
    }

    /// A file with these contents.
    init(salt: [UInt8], keys: [ClientKey]) {
        self.salt = salt
        self.keys = keys
    }

    /// Writes the file atomically with mode 0600.
    package func save(_ path: String) throws(KeyError) {
        let document: JSONValue = [
            "version": .int(Self.version),
            "salt": .string(Hex.encode(salt)),
            "keys": .array(keys.map(\.json)),
        ]
        do { try FileStore.writeAtomically(document.jsonString(pretty: true) + "\n", to: path, mode: 0o600) } catch {
            throw .fileAccess(path, "\(error)")
        }
    }

    /// Adds a key named `name` and returns the key's text, which exists nowhere else afterwards.
    /// - Parameters:
    ///   - expiresIn: days until it stops working; `nil` for never.
    package mutating func add(name: String, expiresIn days: Int?, now: Date) throws(KeyError) -> String {
        guard ClientKey.isValidName(name) else { throw .invalidName(name) }
        guard !keys.contains(where: { $0.name == name }) else { throw .duplicateName(name) }
        var secret = KeySecret.generate()
        // The shown prefix identifies the key in usage counts, so no two keys share one.
        while keys.contains(where: { $0.prefix == KeySecret.prefix(of: secret) }) { secret = KeySecret.generate() }
        keys.append(
            ClientKey(
                name: name,
                prefix: KeySecret.prefix(of: secret),
                digest: KeySecret.digest(of: secret, salt: salt),
                createdAt: now,
                expiresAt: days.map { now.addingTimeInterval(Double($0) * 86_400) }
            )
        )
        return secret
    }

    /// Removes the key named `name` and returns it.
    @discardableResult
    package mutating func revoke(name: String) throws(KeyError) -> ClientKey {
        guard let index = keys.firstIndex(where: { $0.name == name }) else { throw .unknownName(name, known: keys.map(\.name)) }
        return keys.remove(at: index)
    }

    /// The unexpired key `presented` is, if any. Every key's digest is compared in full, so the time taken says
    /// nothing about which key, or how much of one, was right.
    package func match(_ presented: String, now: Date) -> ClientKey? {
        guard !keys.isEmpty else { return nil }
        let digest = KeySecret.digest(of: presented, salt: salt)
        var found: ClientKey?
        for key in keys where KeySecret.equalInConstantTime(key.digest, digest) { found = key }
        guard let found, !found.isExpired(at: now) else { return nil }
        return found
    }
}
