import GHCCore
import GHCTestSupport
import Testing

@testable import GHCKeys

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Client key file")
struct ClientKeyFileTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test("a new key is accepted, stored only as a salted digest with mode 0600, and named in the match")
    func addAndMatch() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("client_keys.json")
        var file = ClientKeyFile()
        let secret = try file.add(name: "alice", expiresIn: nil, now: now)
        try file.save(path)
        #expect(secret.hasPrefix("ghc_") && secret.count == 44)
        let text = try #require(try FileStore.readText(path))
        #expect(!text.contains(secret))
        #expect(text.contains(KeySecret.prefix(of: secret)))
        #expect(FileStore.permissions(of: path) == 0o600)
        let reloaded = try ClientKeyFile.load(path)
        #expect(reloaded.match(secret, now: now)?.name == "alice")
        #expect(reloaded.match(secret + "x", now: now) == nil)
        #expect(reloaded.match(String(secret.dropLast()) + "!", now: now) == nil)
    }

    @Test("two files salt the same key differently")
    func saltsDiffer() throws {
        var first = ClientKeyFile()
        var second = ClientKeyFile()
        _ = try first.add(name: "a", expiresIn: nil, now: now)
        _ = try second.add(name: "a", expiresIn: nil, now: now)
        #expect(first.salt != second.salt)
        #expect(KeySecret.digest(of: "same", salt: first.salt) != KeySecret.digest(of: "same", salt: second.salt))
    }

    @Test("a key stops matching when it expires and when it is revoked")
    func expiryAndRevocation() throws {
        var file = ClientKeyFile()
        let shortLived = try file.add(name: "ci", expiresIn: 1, now: now)
        let other = try file.add(name: "bob", expiresIn: nil, now: now)
        #expect(file.match(shortLived, now: now.addingTimeInterval(86_399))?.name == "ci")
        #expect(file.match(shortLived, now: now.addingTimeInterval(86_400)) == nil)
        try file.revoke(name: "bob")
        #expect(file.match(other, now: now) == nil)
        #expect(file.keys.map(\.name) == ["ci"])
    }

    @Test("names must be unique and usable; revoking an unknown name lists the known ones")
    func nameRules() throws {
        var file = ClientKeyFile()
        _ = try file.add(name: "alice@laptop", expiresIn: nil, now: now)
        #expect(throws: KeyError.duplicateName("alice@laptop")) { try file.add(name: "alice@laptop", expiresIn: nil, now: now) }
        #expect(throws: KeyError.invalidName("")) { try file.add(name: "", expiresIn: nil, now: now) }
        #expect(throws: KeyError.invalidName("a b")) { try file.add(name: "a b", expiresIn: nil, now: now) }
        #expect(throws: KeyError.invalidName(String(repeating: "x", count: 65))) {
            try file.add(name: String(repeating: "x", count: 65), expiresIn: nil, now: now)
        }
        #expect(throws: KeyError.unknownName("carol", known: ["alice@laptop"])) { try file.revoke(name: "carol") }
    }

    @Test(
        "a damaged keys file is an error that names it, never an empty set of keys",
        arguments: [
            "not json", "{\"version\": 2, \"salt\": \"00112233445566778899aabbccddeeff\", \"keys\": []}",
            "{\"version\": 1, \"salt\": \"0011\", \"keys\": []}",
            "{\"version\": 1, \"salt\": \"00112233445566778899aabbccddeeff\", \"keys\": [{\"name\": \"a\"}]}",
        ]
    )
    func damagedFile(text: String) throws {
        #expect(throws: KeyError.self) { try ClientKeyFile.parse(text, path: "client_keys.json") }
    }

    @Test("digests are compared in full: equal only when every byte is")
    func constantTimeComparison() {
        let digest = KeySecret.digest(of: "ghc_example", salt: [1, 2, 3])
        #expect(KeySecret.equalInConstantTime(digest, digest))
        for index in digest.indices {
            var changed = digest
            changed[index] ^= 0x01
            #expect(!KeySecret.equalInConstantTime(digest, changed))
        }
        #expect(!KeySecret.equalInConstantTime(digest, Array(digest.dropLast())))
    }
}

@Suite("Live client keys")
struct LiveClientKeysTests {
    @Test("a server's keys follow the file: added, revoked, and kept when the new file is damaged")
    func followsTheFile() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("client_keys.json")
        let live = try LiveClientKeys(file: path, usageFile: directory.file("usage.json"))
        #expect(!live.isInForce)
        var file = ClientKeyFile()
        let secret = try file.add(name: "alice", expiresIn: nil, now: Date())
        try file.save(path)
        #expect(live.reloadIfChanged() == nil)
        #expect(live.match(secret)?.name == "alice")
        try directory.write("client_keys.json", "{ damaged")
        #expect(live.reloadIfChanged() != nil)
        #expect(live.match(secret)?.name == "alice")
        try file.revoke(name: "alice")
        try file.save(path)
        live.reloadIfChanged()
        #expect(live.match(secret) == nil && live.isInForce)
    }

    @Test("usage is counted per key and survives a restart through the usage file")
    func usageIsSaved() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("client_keys.json")
        var file = ClientKeyFile()
        _ = try file.add(name: "alice", expiresIn: nil, now: Date())
        try file.save(path)
        let usageFile = directory.file("usage.json")
        let live = try LiveClientKeys(file: path, usageFile: usageFile)
        let used = Date(timeIntervalSince1970: 1_800_000_123)
        live.count(name: "alice", inputTokens: 10, outputTokens: 3, at: used)
        live.count(name: "alice", inputTokens: 5, outputTokens: 1, at: used)
        live.count(name: "nobody", inputTokens: 5, outputTokens: 1, at: used)
        try live.saveUsage()
        let restarted = try LiveClientKeys(file: path, usageFile: usageFile)
        let listing = try #require(restarted.listings().first)
        #expect(listing.usage == KeyUsageEntry(requests: 2, inputTokens: 15, outputTokens: 4, lastUsedAt: used))
        #expect(listing.json(now: used)["last_used_at"] == .string("2027-01-15T08:02:03Z"))
    }
}
