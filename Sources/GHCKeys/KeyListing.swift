import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One key with its usage, as `keys list --json` and the dashboard's `/api/keys` show it.
package struct KeyListing: Sendable, Equatable {
    /// The key.
    package let key: ClientKey
    /// What it has been used for.
    package let usage: KeyUsageEntry

    /// Creates a listing.
    package init(key: ClientKey, usage: KeyUsageEntry) {
        self.key = key
        self.usage = usage
    }

    /// Every key of `file` with its usage from `usage`, in the order they were added.
    package static func all(_ file: ClientKeyFile, usage: [String: KeyUsageEntry]) -> [KeyListing] {
        file.keys.map { KeyListing(key: $0, usage: usage[$0.prefix] ?? KeyUsageEntry()) }
    }

    /// The listing as JSON, times in ISO 8601 (UTC).
    package func json(now: Date) -> JSONValue {
        [
            "name": .string(key.name),
            "prefix": .string(key.prefix),
            "created_at": .string(Timestamp.iso8601(key.createdAt)),
            "expires_at": key.expiresAt.map { .string(Timestamp.iso8601($0)) } ?? .null,
            "expired": .bool(key.isExpired(at: now)),
            "last_used_at": usage.lastUsedAt.map { .string(Timestamp.iso8601($0)) } ?? .null,
            "requests": .int(usage.requests),
            "input_tokens": .int(usage.inputTokens),
            "output_tokens": .int(usage.outputTokens),
        ]
    }
}
