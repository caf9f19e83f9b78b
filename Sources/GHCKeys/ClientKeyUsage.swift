import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What one client key has been used for: requests, tokens and the last use.
package struct KeyUsageEntry: Sendable, Equatable {
    /// Requests made with it.
    package var requests = 0
    /// Input tokens (cached ones included) of those requests.
    package var inputTokens = 0
    /// Output tokens of those requests.
    package var outputTokens = 0
    /// When it was last used.
    package var lastUsedAt: Date?

    /// Creates an entry.
    package init(requests: Int = 0, inputTokens: Int = 0, outputTokens: Int = 0, lastUsedAt: Date? = nil) {
        self.requests = requests
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
        self.lastUsedAt = lastUsedAt
    }

    /// The entry as the usage file and the dashboard show it.
    package var json: JSONValue {
        [
            "requests": .int(requests),
            "input_tokens": .int(inputTokens),
            "output_tokens": .int(outputTokens),
            "last_used_at": lastUsedAt.map { .int(Int($0.timeIntervalSince1970)) } ?? .null,
        ]
    }

    /// Reads an entry; missing members count as zero.
    init(json: JSONValue) {
        requests = json["requests"]?.intValue ?? 0
        inputTokens = json["input_tokens"]?.intValue ?? 0
        outputTokens = json["output_tokens"]?.intValue ?? 0
        lastUsedAt = json["last_used_at"]?.intValue.map { Date(timeIntervalSince1970: Double($0)) }
    }
}

/// Usage of client keys by key prefix (`client_keys_usage.json`), which the server writes and `keys list` reads.
package enum ClientKeyUsage {
    /// The entries of `path`; none when the file is missing or unreadable (usage is a report, never a reason to fail).
    package static func load(_ path: String) -> [String: KeyUsageEntry] {
        guard let text = try? FileStore.readText(path), let document = try? JSONValue.parse(Array(text.utf8)),
            let members = document.objectValue
        else { return [:] }
        return members.mapValues(KeyUsageEntry.init(json:))
    }

    /// Writes `entries` atomically.
    package static func save(_ entries: [String: KeyUsageEntry], to path: String) throws(KeyError) {
        let document = JSONValue.object(entries.mapValues(\.json))
        do { try FileStore.writeAtomically(document.jsonString(pretty: true) + "\n", to: path, mode: 0o600) } catch {
            throw .fileAccess(path, "\(error)")
        }
    }
}
