/// Every command of `ghc-api`, in the order help lists them. A command is listed here only when it works.
package enum CommandTable {
    /// The root of the spec tree.
    package static let root: CommandSpec = CommandSpec(
        "ghc-api",
        summary: "use a GitHub Copilot subscription as a local OpenAI- and Anthropic-compatible API",
        discussion:
            "ghc-api logs in to GitHub, keeps a Copilot token fresh and serves Copilot's models to any OpenAI client. Its files live in the config directory: GHC_API_CONFIG_DIR, else ~/.ghc-api.",
        flags: [.option("config", short: "c", .path("FILE"), "Use this config file instead of <config dir>/config.yaml")],
        subcommands: [
            ServeCommand.spec, AuthCommand.spec, ConfigCommand.spec, ModelsCommand.spec, ExportCommand.spec, ImportCommand.spec,
            SyncCommand.spec, UsageCommand.spec, AgentCommand.spec, KeysCommand.spec, ServiceCommand.spec,
            StandInCommand.spec, DocsCommands.completions, DocsCommands.manpage,
        ],
        examples: [
            CommandExample("auth login", "Log in to GitHub"),
            CommandExample("serve", "Run the proxy on 127.0.0.1:8313"),
            CommandExample("serve --demo", "Try the proxy without a Copilot account"),
            CommandExample("models", "See which models your plan offers"),
            CommandExample("config set port 9000", "Change a setting"),
        ]
    )
}
