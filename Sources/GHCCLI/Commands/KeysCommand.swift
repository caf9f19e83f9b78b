import GHCCore
import GHCKeys

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `ghc-api keys …`: client API keys a user can hand out and revoke one by one.
enum KeysCommand {
    /// The `keys` command and its `add`, `list` and `revoke` subcommands.
    static let spec = CommandSpec(
        "keys",
        summary: "Make, list and revoke client API keys",
        discussion:
            "Keys live hashed (salted SHA-256) in <config dir>/client_keys.json (mode 0600); a key's text is printed once, when it is made. Once the keys file exists, every API request needs a key: one of these or one of api_keys in config.yaml (revoking the last key does not open the server; deleting the file does). A running server picks up a new or revoked key within a second. Usage per key (client_keys_usage.json) is saved by the server every few seconds.",
        subcommands: [
            CommandSpec(
                "add",
                summary: "Make a key and print it once",
                flags: [.option("expires", .integer("DAYS", 1...36_500), "Stop accepting it after this many days", default: "never")],
                positionals: [PositionalSpec("NAME", "Who or what the key is for: letters, digits, '.', '_', '-', '@'")],
                examples: [CommandExample("keys add alice --expires 30", "A key for a teammate that works for 30 days")],
                handler: add
            ),
            CommandSpec(
                "list",
                summary: "Show every key: name, prefix, created, last used, expiry and request count",
                flags: [
                    .toggle(
                        "json",
                        "Print JSON: [{name, prefix, created_at, expires_at, expired, last_used_at, requests, input_tokens, output_tokens}]"
                    )
                ],
                handler: list
            ),
            CommandSpec(
                "revoke",
                summary: "Stop accepting a key (a running server refuses it within a second)",
                positionals: [PositionalSpec("NAME", "The key's name, as `keys list` shows it")],
                handler: revoke
            ),
        ]
    )

    /// Makes a key, saves its digest and prints the key with how to use it.
    static func add(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let path = loaded.location.clientKeysFile
        var file = try ClientKeyFile.load(path)
        let name = arguments.positional(0) ?? ""
        let secret = try file.add(name: name, expiresIn: arguments.integer("expires"), now: context.now())
        try file.save(path)
        let style = context.style
        let expiry = file.keys.last?.expiresAt.map { "; it expires \(Timestamp.iso8601($0))" } ?? ""
        context.stdout.line("Made key '\(name)'\(expiry). It is shown only now; give it to its user:")
        context.stdout.line()
        context.stdout.line("    " + style.bold(secret))
        context.stdout.line()
        context.stdout.line("Use it as OPENAI_API_KEY, ANTHROPIC_AUTH_TOKEN, or the header Authorization: Bearer KEY (or x-api-key: KEY).")
        if file.keys.count == 1, loaded.config.apiKeys.isEmpty {
            context.stdout.line(style.yellow("Every API request now needs a key, and the dashboard asks for one at /login."))
        }
        return .success
    }

    /// Prints the keys as a table or JSON.
    static func list(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let file = try ClientKeyFile.load(loaded.location.clientKeysFile)
        let listings = KeyListing.all(file, usage: ClientKeyUsage.load(loaded.location.clientKeyUsageFile))
        let now = context.now()
        if arguments.has("json") {
            context.stdout.line(JSONValue.array(listings.map { $0.json(now: now) }).jsonString(pretty: true))
            return .success
        }
        guard !listings.isEmpty else {
            context.stdout.line("No client keys. Make one with: ghc-api keys add NAME")
            return .success
        }
        var table = TextTable(headers: ["NAME", "PREFIX", "CREATED", "LAST USED", "EXPIRES", "REQUESTS"], rightAligned: [5])
        for listing in listings {
            let expiry = listing.key.expiresAt.map { day($0) + (listing.key.isExpired(at: now) ? " (expired)" : "") } ?? "never"
            table.add([
                listing.key.name, listing.key.prefix + "…", day(listing.key.createdAt), listing.usage.lastUsedAt.map(day) ?? "never",
                expiry, "\(listing.usage.requests)",
            ])
        }
        context.stdout.write(table.render(style: context.style))
        return .success
    }

    /// Removes a key.
    static func revoke(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let path = loaded.location.clientKeysFile
        var file = try ClientKeyFile.load(path)
        let key = try file.revoke(name: arguments.positional(0) ?? "")
        try file.save(path)
        context.stdout.line("Revoked key '\(key.name)' (\(key.prefix)…); a running server refuses it within a second.")
        if file.keys.isEmpty {
            context.stdout.line(
                context.style.yellow(
                    "No client keys remain: requests still need a key (one of api_keys, or a new one from `ghc-api keys add`). "
                        + "To serve without keys again, delete \(path)."
                )
            )
        }
        return .success
    }

    /// A time as `YYYY-MM-DD HH:MM` UTC, for the table.
    private static func day(_ date: Date) -> String {
        let iso = Timestamp.iso8601(date)
        return String(iso.prefix(10)) + " " + String(iso.dropFirst(11).prefix(5))
    }
}
