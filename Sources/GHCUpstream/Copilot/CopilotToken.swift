#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A short-lived Copilot API token and what came with it.
package struct CopilotToken: Sendable, Equatable {
    /// The bearer token; never print it.
    package let value: String
    /// When Copilot stops accepting it.
    package let expiresAt: Date
    /// When to get a new one (ahead of expiry).
    package let refreshAfter: Date
    /// The Copilot API base to use with it.
    package let apiBaseURL: String
    /// The plan the token was issued for (`sku`), when given.
    package let sku: String?

    /// Creates a token record.
    package init(value: String, expiresAt: Date, refreshAfter: Date, apiBaseURL: String, sku: String?) {
        self.value = value
        self.expiresAt = expiresAt
        self.refreshAfter = refreshAfter
        self.apiBaseURL = apiBaseURL
        self.sku = sku
    }
}
