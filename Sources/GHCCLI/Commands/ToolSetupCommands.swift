import Foundation
import GHCAgentSetup
import GHCCore
import GHCUpstream

/// `ghc-api config claude-code|codex|copilot-cli`: point a coding tool at this proxy in one command, safe to repeat,
/// showing the change first and backing up what it replaces.
enum ToolSetupCommands {
    private static let printOnly = FlagSpec.toggle("print", "Only print the diff; change nothing")
    private static let undo = FlagSpec.toggle("undo", "Put the newest backup back")
    private static let apiKey = FlagSpec.option(
        "api-key",
        .text("KEY"),
        "The key the tool presents (from `ghc-api keys add`)",
        default: "GHC_API_KEY, else the first of api_keys"
    )

    /// `config claude-code`.
    static let claudeCode = CommandSpec(
        "claude-code",
        summary: "Point Claude Code at this proxy: the env block of its settings.json",
        discussion:
            "Sets ANTHROPIC_BASE_URL (this proxy), ANTHROPIC_AUTH_TOKEN (--api-key, else GHC_API_KEY, else the first of api_keys, else a placeholder), ANTHROPIC_MODEL (the best Claude model of the live catalog), ANTHROPIC_SMALL_FAST_MODEL, ANTHROPIC_DEFAULT_HAIKU_MODEL and CLAUDE_CODE_SUBAGENT_MODEL (a 0x model, so background calls spend no premium requests) and CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1. Every other key and comment stays. The old file is kept as settings.json.<YYYYMMDD_HHMMSS>.bak.",
        flags: [
            printOnly, undo, apiKey,
            .option("model", .text("MODEL"), "The main model", default: "the best Claude model of the catalog"),
            .option("small-model", .text("MODEL"), "The model for small and background calls", default: "a 0x model of the catalog"),
            .option("scope", .choice(["user", "project"]), "~/.claude/settings.json, or .claude/settings.json here", default: "user"),
        ],
        examples: [
            CommandExample("config claude-code --print", "See what would change"),
            CommandExample("config claude-code --model claude-sonnet-4.6", "Use Sonnet as the main model"),
            CommandExample("config claude-code --undo", "Restore the settings from before"),
        ],
        handler: runClaudeCode
    )

    /// `config codex`.
    static let codex = CommandSpec(
        "codex",
        summary: "Point Codex at this proxy: a ghc-api model provider in ~/.codex/config.toml",
        discussion:
            "Adds [model_providers.ghc-api] (base_url, wire_api = \"responses\", and env_key = \"GHC_API_KEY\" when the server requires a key) and sets model_provider and model at the top. Comments, other tables and [projects.*] stay. The old file is kept as config.toml.<YYYYMMDD_HHMMSS>.bak.",
        flags: [printOnly, undo, .option("model", .text("MODEL"), "The model", default: "the newest Codex model of the catalog")],
        examples: [CommandExample("config codex", "Codex uses the proxy from its next start")],
        handler: runCodex
    )

    /// `config copilot-cli`.
    static let copilotCLI = CommandSpec(
        "copilot-cli",
        summary: "Say how Copilot CLI relates to this proxy",
        flags: [printOnly],
        handler: runCopilotCLI
    )

    static func runClaudeCode(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let folder =
            arguments.value("scope") == "project" ? FileManager.default.currentDirectoryPath + "/.claude" : context.home + "/.claude"
        let path = folder + "/settings.json"
        if arguments.has("undo") { return try restore(path, arguments, context) }
        let key = presentedKey(arguments, loaded, context)
        if key == nil, keyRequired(loaded) {
            context.stderr.line(
                "ghc-api: warning: the server requires a key and none was given; make one with `ghc-api keys add claude-code` "
                    + "and pass it with --api-key"
            )
        }
        let pointing = ProxyPointing(baseURL: baseURL(loaded), apiKey: key, choice: await catalog(loaded, context, key: key))
        let (change, warnings) = try pointing.claudeCode(
            path: path,
            model: arguments.value("model"),
            smallModel: arguments.value("small-model")
        )
        for warning in warnings { context.stderr.line("ghc-api: warning: " + warning) }
        return try apply(change, arguments, context)
    }

    static func runCodex(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let path = context.home + "/.codex/config.toml"
        if arguments.has("undo") { return try restore(path, arguments, context) }
        // Codex reads the key from its environment, so only whether one is needed goes into its config.
        let presented = presentedKey(arguments, loaded, context)
        let key = presented ?? (keyRequired(loaded) ? "" : nil)
        let pointing = ProxyPointing(baseURL: baseURL(loaded), apiKey: key, choice: await catalog(loaded, context, key: presented))
        let (change, warnings) = try pointing.codex(path: path, model: arguments.value("model"))
        for warning in warnings { context.stderr.line("ghc-api: warning: " + warning) }
        let exit = try apply(change, arguments, context)
        if pointing.apiKey != nil { context.stderr.line("Codex reads the key from GHC_API_KEY: export GHC_API_KEY=<your API key>") }
        return exit
    }

    /// The key a tool presents to this proxy: `--api-key`, else `GHC_API_KEY`, else the first of `api_keys`.
    static func presentedKey(_ arguments: ParsedArguments, _ loaded: LoadedConfig, _ context: CommandContext) -> String? {
        arguments.value("api-key") ?? loaded.ownClientKey(context)
    }

    /// Whether the server asks callers for a key: `api_keys` is set or the client keys file exists.
    static func keyRequired(_ loaded: LoadedConfig) -> Bool {
        !loaded.config.apiKeys.isEmpty || FileStore.exists(loaded.location.clientKeysFile)
    }

    static func runCopilotCLI(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        context.stdout.line(
            "Copilot CLI talks to GitHub Copilot with your GitHub account directly and has no setting for another API endpoint, so it cannot be pointed at this proxy (and does not need to be: it uses the same subscription). Nothing was changed. Run it through ghc-api's agent page or `ghc-api agent chat -a copilot-cli` to see its sessions here."
        )
        return .success
    }

    /// Prints the diff, then (unless `--print`) backs up and writes.
    private static func apply(_ change: SettingsChange, _ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        guard change.changes else {
            context.stdout.line("\(change.path) already points at this proxy; nothing changed.")
            return .success
        }
        let style = context.style
        for line in change.diff {
            context.stdout.line(line.hasPrefix("+") ? style.green(line) : line.hasPrefix("-") ? style.red(line) : line)
        }
        if arguments.has("print") { return .success }
        let backup = try change.apply()
        context.stdout.line("Wrote \(change.path)" + (backup.map { " (the old file is \($0))" } ?? ""))
        return .success
    }

    private static func restore(_ path: String, _ arguments: ParsedArguments, _ context: CommandContext) throws -> ExitCode {
        let (change, backup) = try SettingsChange.undo(path)
        context.stdout.line("Restoring \(backup)")
        return try apply(change, arguments, context)
    }

    /// This proxy's address as clients reach it.
    private static func baseURL(_ loaded: LoadedConfig) -> String {
        ProxyAddress.url(address: loaded.config.address, port: loaded.config.port)
    }

    /// The catalog: from a running serve (`/v1/models`, asked with `key`), else from Copilot with this machine's login; empty
    /// without.
    static func catalog(_ loaded: LoadedConfig, _ context: CommandContext, key: String?) async -> ModelChoice {
        let config = loaded.config
        if ListenerProbe.isListening(address: config.address, port: config.port) {
            let url = ProxyAddress.url(address: config.address, port: config.port) + "/v1/models"
            let headers = key.map { [("Authorization", "Bearer \($0)")] } ?? []
            if let response = try? await context.http.send(
                UpstreamRequest(method: "GET", url: url, headers: headers),
                timeout: .seconds(10)
            ),
                response.status == 200, let list = try? response.json(url: url)["data"]?.arrayValue
            {
                return ModelChoice(entries: list.compactMap(ModelChoice.entry))
            }
        }
        guard let credential = try? loaded.credential(context) else { return ModelChoice(entries: []) }
        let api = CopilotAPI(
            http: context.http,
            tokens: loaded.tokenManager(context, credential: credential),
            identity: UpstreamIdentity(config: config)
        )
        guard let snapshot = try? await ModelCatalog(api: api, now: context.now).snapshot() else { return ModelChoice(entries: []) }
        return ModelChoice(entries: snapshot.models.compactMap { ModelChoice.entry($0.raw) })
    }
}
