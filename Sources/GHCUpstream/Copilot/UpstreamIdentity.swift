import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The editor identity ghc-api presents to GitHub and Copilot, and the header sets built from it.
package struct UpstreamIdentity: Sendable, Equatable {
    /// `vscode_version`
    package var vscodeVersion: String
    /// `copilot_version`
    package var copilotVersion: String
    /// `api_version`
    package var apiVersion: String

    /// Creates an identity from explicit versions.
    package init(vscodeVersion: String, copilotVersion: String, apiVersion: String) {
        self.vscodeVersion = vscodeVersion
        self.copilotVersion = copilotVersion
        self.apiVersion = apiVersion
    }

    /// The identity the configuration names.
    package init(config: GHCConfig) {
        self.init(vscodeVersion: config.vscodeVersion, copilotVersion: config.copilotVersion, apiVersion: config.apiVersion)
    }

    /// Headers for GitHub API calls (token exchange, `/user`), authorised with `token <github token>`.
    package func githubHeaders(githubToken: String) -> [(String, String)] {
        [
            ("Content-Type", "application/json"),
            ("Accept", "application/json"),
            ("Authorization", "token \(githubToken)"),
            ("Editor-Version", "vscode/\(vscodeVersion)"),
            ("Editor-Plugin-Version", "copilot-chat/\(copilotVersion)"),
            ("User-Agent", "GitHubCopilotChat/\(copilotVersion)"),
            ("X-GitHub-Api-Version", apiVersion),
            ("X-VSCode-User-Agent-Library-Version", "electron-fetch"),
        ]
    }

    /// Headers for every Copilot API call, built fresh (new `X-Request-Id`) for each attempt.
    /// - Parameters:
    ///   - initiator: `user` or `agent`, when the route sends `X-Initiator`.
    ///   - vision: whether the request carries images.
    package func copilotHeaders(copilotToken: String, initiator: String? = nil, vision: Bool = false) -> [(String, String)] {
        var headers: [(String, String)] = [
            ("Authorization", "Bearer \(copilotToken)"),
            ("Content-Type", "application/json"),
            ("Copilot-Integration-Id", "vscode-chat"),
            ("Editor-Version", "vscode/\(vscodeVersion)"),
            ("Editor-Plugin-Version", "copilot-chat/\(copilotVersion)"),
            ("User-Agent", "GitHubCopilotChat/\(copilotVersion)"),
            ("OpenAI-Intent", "conversation-panel"),
            ("X-GitHub-Api-Version", apiVersion),
            ("X-Request-Id", RequestID.next()),
            ("X-VSCode-User-Agent-Library-Version", "electron-fetch"),
        ]
        if let initiator { headers.append(("X-Initiator", initiator)) }
        if vision { headers.append(("Copilot-Vision-Request", "true")) }
        return headers
    }
}
