import GHCCore
import GHCUpstream

/// The configuration a command runs with: where it lives and what it says.
struct LoadedConfig: Sendable {
    /// The config directory and file.
    let location: ConfigLocation
    /// The checked configuration.
    let config: GHCConfig
    /// Non-fatal problems (unknown or ignored keys).
    let warnings: [ConfigProblem]
    /// What was changed on the way (permissions tightened), when the caller reports it itself.
    var notes: [String] = []

    /// Resolves the location (`GHC_API_CONFIG_DIR`, `-c/--config`) and loads the file; a missing file means defaults.
    /// A config directory or token file that others can read (as the Python original left them) is tightened, once,
    /// with a note on standard error, or in `notes` when `printsNotes` is false (`serve` logs them in its format).
    static func load(_ arguments: ParsedArguments, _ context: CommandContext, printsNotes: Bool = true) throws(ConfigError) -> LoadedConfig
    {
        let location = ConfigLocation.resolve(
            environment: context.environment,
            home: context.home,
            configFileOverride: arguments.value("config")
        )
        let notes = FileStore.tightenPermissions(directory: location.directory, secrets: [location.githubTokenFile])
        if printsNotes {
            for note in notes { context.stderr.line("ghc-api: note: \(note)") }
        }
        let (config, warnings) = try GHCConfig.load(ConfigDocument.load(path: location.configFile))
        return LoadedConfig(location: location, config: config, warnings: warnings, notes: printsNotes ? [] : notes)
    }

    /// The key ghc-api's own clients (`agent chat`, the tools `config` points here) present to this proxy:
    /// `GHC_API_KEY`, else the first of `api_keys`; `nil` when neither is set.
    func ownClientKey(_ context: CommandContext) -> String? {
        context.environment["GHC_API_KEY"].flatMap { $0.isEmpty ? nil : $0 } ?? config.apiKeys.first
    }

    /// The GitHub credential from the environment or the token file.
    func credential(_ context: CommandContext) throws(FileStoreError) -> GitHubCredential? {
        try GitHubCredential.resolve(environment: context.environment, location: location)
    }

    /// A token manager for this configuration.
    func tokenManager(_ context: CommandContext, credential: GitHubCredential?) -> CopilotTokenManager {
        CopilotTokenManager(
            http: context.http,
            settings: .init(config: config),
            credential: credential,
            now: context.now,
            sleep: context.sleep
        )
    }
}
