import GHCCore

/// A GitHub token and where it came from.
package struct GitHubCredential: Sendable, Equatable {
    /// Where a token was found, in the order they are tried.
    package enum Source: String, Sendable {
        /// The `GITHUB_TOKEN` environment variable.
        case environment
        /// `<config_dir>/github_token.txt`.
        case file
        /// A device-flow login in this process.
        case deviceFlow = "device_flow"
    }

    /// The token itself; never print it, use `Redaction.prefix(of:)`.
    package let token: String
    /// Where it came from.
    package let source: Source

    /// Creates a credential.
    package init(token: String, source: Source) {
        self.token = token
        self.source = source
    }

    /// The first token found: `GITHUB_TOKEN`, then the token file (an empty value counts as absent).
    package static func resolve(environment: [String: String], location: ConfigLocation) throws(FileStoreError) -> GitHubCredential? {
        if let value = environment["GITHUB_TOKEN"]?.trimmedWhitespace, !value.isEmpty {
            return GitHubCredential(token: value, source: .environment)
        }
        if let text = try FileStore.readText(location.githubTokenFile)?.trimmedWhitespace, !text.isEmpty {
            return GitHubCredential(token: text, source: .file)
        }
        return nil
    }

    /// Saves a token to the token file with mode 0600, atomically, so an interrupted login leaves the old file whole.
    package static func save(_ token: String, location: ConfigLocation) throws(FileStoreError) {
        try FileStore.ensureDirectory(location.directory)
        try FileStore.writeAtomically(token, to: location.githubTokenFile, mode: 0o600)
    }
}
