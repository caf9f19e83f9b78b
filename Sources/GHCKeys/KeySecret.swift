import Crypto

/// Making keys and checking them: random key text, salted SHA-256, and a comparison whose time does not depend on
/// where two digests differ.
package enum KeySecret {
    /// What every key starts with, so a leaked one is recognisable (and secret scanners can match it).
    package static let marker = "ghc_"
    /// How many random characters follow the marker (62 symbols: about 238 bits).
    static let randomLength = 40
    /// How many random characters the shown prefix keeps.
    static let prefixLength = 8

    /// A new key: the marker and 40 characters from the system's cryptographic random source.
    package static func generate() -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        var generator = SystemRandomNumberGenerator()
        var text = marker
        for _ in 0..<randomLength { text.append(alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))]) }
        return text
    }

    /// The part of a key shown in lists and on the dashboard.
    package static func prefix(of key: String) -> String {
        String(key.prefix(marker.count + prefixLength))
    }

    /// A new salt for a keys file.
    static func newSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// SHA-256 of `salt` followed by the key's UTF-8 bytes.
    static func digest(of key: String, salt: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: salt)
        hasher.update(data: Array(key.utf8))
        return Array(hasher.finalize())
    }

    /// Whether two digests are equal, looking at every byte whatever the first difference is.
    static func equalInConstantTime(_ left: [UInt8], _ right: [UInt8]) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}
