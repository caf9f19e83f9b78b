import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One client API key as the keys file keeps it: its name and a salted digest, never the key itself.
package struct ClientKey: Sendable, Equatable {
    /// The name it was given (`alice`, `ci`), shown in records and on the dashboard.
    package let name: String
    /// The key's first characters (`ghc_1a2B3c4D`), enough to tell keys apart, too few to use one.
    package let prefix: String
    /// SHA-256 of the file's salt followed by the key.
    package let digest: [UInt8]
    /// When it was made.
    package let createdAt: Date
    /// When it stops working, if ever.
    package let expiresAt: Date?

    /// Creates a key entry.
    package init(name: String, prefix: String, digest: [UInt8], createdAt: Date, expiresAt: Date?) {
        self.name = name
        self.prefix = prefix
        self.digest = digest
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }

    /// Whether it has expired at `now`.
    package func isExpired(at now: Date) -> Bool {
        expiresAt.map { $0 <= now } ?? false
    }

    /// The entry as the keys file stores it.
    var json: JSONValue {
        var members: [String: JSONValue] = [
            "name": .string(name),
            "prefix": .string(prefix),
            "sha256": .string(Hex.encode(digest)),
            "created_at": .int(Int(createdAt.timeIntervalSince1970)),
        ]
        if let expiresAt { members["expires_at"] = .int(Int(expiresAt.timeIntervalSince1970)) }
        return .object(members)
    }

    /// Reads an entry of the keys file; `nil` when a member is missing or malformed.
    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let prefix = json["prefix"]?.stringValue,
            let digest = json["sha256"]?.stringValue.flatMap(Hex.decode), digest.count == 32,
            let created = json["created_at"]?.intValue
        else { return nil }
        let expires = json["expires_at"]?.intValue
        guard json["expires_at"] == nil || json["expires_at"] == .null || expires != nil else { return nil }
        self.init(
            name: name,
            prefix: prefix,
            digest: digest,
            createdAt: Date(timeIntervalSince1970: Double(created)),
            expiresAt: expires.map { Date(timeIntervalSince1970: Double($0)) }
        )
    }

    /// Whether `name` can name a key: 1 to 64 letters, digits, `.`, `_`, `-` or `@`.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64
            && name.unicodeScalars.allSatisfy {
                $0.properties.isAlphabetic || ("0"..."9").contains($0) || "._-@".unicodeScalars.contains($0)
            }
    }
}

/// Lowercase hexadecimal, for digests and salts in the keys file.
enum Hex {
    /// `bytes` as lowercase hex.
    static func encode(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// The bytes of a hex string; `nil` when it has an odd length or a character that is not hex.
    static func decode(_ text: String) -> [UInt8]? {
        let characters = Array(text.utf8)
        guard characters.count.isMultiple(of: 2) else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(characters.count / 2)
        var index = 0
        while index < characters.count {
            guard let high = value(characters[index]), let low = value(characters[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }

    /// The value of one hex digit.
    private static func value(_ character: UInt8) -> UInt8? {
        switch character {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): character - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): character - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): character - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
