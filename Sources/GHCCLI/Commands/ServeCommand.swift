import GHCCore
import GHCKeys
import GHCServer
import GHCStandIn
import GHCSync
import GHCUpstream
import Logging

/// `ghc-api serve`: the proxy.
enum ServeCommand {
    /// The `serve` command: its flags, examples and handler.
    static let spec = CommandSpec(
        "serve",
        summary: "Run the OpenAI- and Anthropic-compatible proxy and the dashboard",
        discussion:
            "Listens on address:port from config.yaml (default 127.0.0.1:8313). Without a GitHub login it still starts and answers 401 until `ghc-api auth login` succeeds. --demo runs a built-in stand-in for GitHub and Copilot, so it works without a Copilot account.",
        flags: [
            .option("port", short: "p", .integer("PORT", 1...65535), "Port to listen on", default: "port from config, 8313"),
            .option("address", short: "a", .text("ADDRESS"), "Address to listen on", default: "address from config, 127.0.0.1"),
            .toggle("verbose", short: "v", "Log at debug level"),
            .option(
                "log-format",
                .choice(["text", "json"]),
                "Log lines as text, or one JSON object per line",
                default: "log_format from config, text"
            ),
            .toggle("demo", "Use a built-in stand-in for GitHub and Copilot instead of your account"),
            .toggle("insecure-no-auth", "Allow a non-loopback address without api_keys"),
        ],
        examples: [
            CommandExample("serve", "Serve your Copilot account on 127.0.0.1:8313"),
            CommandExample("serve --demo -p 9000", "Try it without a Copilot account"),
        ],
        handler: run
    )

    /// Starts the proxy (against the built-in stand-in under `--demo`), prints the banner, and serves until stopped.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        var loaded = try LoadedConfig.load(arguments, context, printsNotes: false)
        var config = loaded.config
        var overrides: [String: JSONValue] = [:]
        if let port = arguments.integer("port") { overrides["port"] = .int(port) }
        if let address = arguments.value("address") { overrides["address"] = .string(address) }
        for (key, value) in overrides { config.override(key, value) }
        let clientKeys = try LiveClientKeys(file: loaded.location.clientKeysFile, usageFile: loaded.location.clientKeyUsageFile)
        if let refusal = ServerSecurity.refusal(
            address: config.address,
            apiKeys: config.apiKeys,
            hasClientKeys: clientKeys.isInForce,
            insecureNoAuth: arguments.has("insecure-no-auth")
        ) {
            throw ServeError.refused(refusal)
        }
        let format = LogFormat(rawValue: arguments.value("log-format") ?? config.logFormat) ?? .text
        var logger = Logger(label: "ghc-api") { _ in ServerLogHandler(format: format) }
        logger.logLevel = arguments.has("verbose") || config.debug ? .debug : .info
        // Through the logger, so a JSON log stays one object per line from the first line on.
        for note in loaded.notes { logger.notice("\(note)") }
        for warning in loaded.warnings { logger.warning("\(warning.description)") }

        var standIn: StandInUpstream?
        var settings: ServerSettings
        if arguments.has("demo") {
            let upstream = try await StandInUpstream.start(scenarioControl: false)
            standIn = upstream
            overrides["github_api_base_url"] = .string(upstream.baseURL)
            overrides["copilot_api_base_url"] = ""
            for (key, value) in overrides { config.override(key, value) }
            loaded = LoadedConfig(location: loaded.location, config: config, warnings: [])
            settings = ServerSettings(
                config: config,
                location: loaded.location,
                credential: GitHubCredential(token: StandInScenario.githubToken, source: .environment),
                reloadCredential: nil,
                logger: logger
            )
            // The demo's made-up requests stay out of the real history and token usage.
            settings.historyDatabase = loaded.location.directory + "/requests-demo.db"
            settings.usageFile = loaded.location.directory + "/token_usage-demo.jl"
            settings.reportsUsageToOneDrive = false
        } else {
            let location = loaded.location
            let environment = context.environment
            settings = ServerSettings(
                config: config,
                location: location,
                credential: try? loaded.credential(context),
                reloadCredential: { try? GitHubCredential.resolve(environment: environment, location: location) },
                logger: logger
            )
        }
        settings.logger = logger
        settings.sync = SyncEnvironment(environment: context.environment, home: context.home)
        settings.configOverrides = overrides
        settings.watchesConfigFile = true
        settings.clientKeys = clientKeys
        let parts = buildServerParts(settings)
        let startup = await StartupReport.gather(parts: parts, settings: settings)
        let address = config.address
        let demoURL = standIn?.baseURL
        let apiKeysRequired = !config.apiKeys.isEmpty || clientKeys.isInForce
        let output = context.stdout
        let style = context.style
        let syncLine = SyncReport.startupLine(config: config, configFile: loaded.location.configFile, sync: settings.sync)
        let application = buildApplication(parts: parts, address: address, port: config.port, logger: logger) { port in
            output.line(syncLine)
            output.write(
                startup.banner(address: address, port: port, demoUpstream: demoURL, apiKeysRequired: apiKeysRequired, style: style)
            )
        }
        do {
            try await ServerRunner.run(application, address: address, port: config.port, parts: parts, logger: logger)
        } catch {
            await standIn?.stop()
            throw error
        }
        await standIn?.stop()
        output.line("ghc-api stopped")
        return .success
    }
}

/// Why `serve` would not start.
enum ServeError: Error, CustomStringConvertible {
    /// The settings are unsafe.
    case refused(String)

    /// One line for the user.
    var description: String {
        switch self {
        case .refused(let reason): reason
        }
    }
}
