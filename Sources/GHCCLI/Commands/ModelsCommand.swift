import GHCCore
import GHCUpstream

/// `ghc-api models`: the live Copilot model catalog.
enum ModelsCommand {
    /// The `models` command: its flag, examples and handler.
    static let spec = CommandSpec(
        "models",
        summary: "List the Copilot model catalog",
        flags: [
            .toggle(
                "json",
                "Print JSON: {fetched_at, models: [{id, name, vendor, type, preview, context_window, max_prompt_tokens, max_output_tokens, supported_endpoints, vision, tool_calls, streaming, reasoning_efforts}]}"
            )
        ],
        examples: [
            CommandExample("models", "A table of every model"), CommandExample("models --json | jq '.models[].id'", "Just the ids"),
        ],
        handler: run
    )

    /// Fetches the Copilot model catalog and prints it as a table or JSON.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        guard let credential = try loaded.credential(context) else { throw UpstreamError.notLoggedIn }
        let api = CopilotAPI(
            http: context.http,
            tokens: loaded.tokenManager(context, credential: credential),
            identity: UpstreamIdentity(config: loaded.config)
        )
        let snapshot = try await ModelCatalog(api: api, now: context.now).snapshot()
        if arguments.has("json") {
            let models = snapshot.models.map { model -> JSONValue in
                func number(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
                return [
                    "id": .string(model.id), "name": .string(model.name), "vendor": .string(model.vendor),
                    "type": model.type.map(JSONValue.string) ?? .null,
                    "preview": .bool(model.preview), "context_window": number(model.contextWindow),
                    "max_prompt_tokens": number(model.maxPromptTokens),
                    "max_output_tokens": number(model.maxOutputTokens),
                    "supported_endpoints": .array(model.supportedEndpoints.map(JSONValue.string)),
                    "vision": .bool(model.vision), "tool_calls": .bool(model.toolCalls),
                    "streaming": model.streaming.map(JSONValue.bool) ?? .null,
                    "reasoning_efforts": .array(model.reasoningEfforts.map(JSONValue.string)),
                ]
            }
            context.stdout.line(
                JSONValue.object(["fetched_at": .string(Timestamp.iso8601(snapshot.fetchedAt)), "models": .array(models)]).jsonString(
                    pretty: true
                )
            )
            return .success
        }
        var table = TextTable(headers: ["ID", "VENDOR", "CONTEXT", "MAX OUT", "ENDPOINTS", "VISION", "TOOLS"], rightAligned: [2, 3])
        for model in snapshot.models {
            let endpoints = model.isEmbedding ? "embeddings" : model.supportedEndpoints.joined(separator: " ")
            table.add([
                model.id + (model.preview ? " (preview)" : ""), model.vendor, compact(model.contextWindow), compact(model.maxOutputTokens),
                endpoints.isEmpty ? "-" : endpoints, model.vision ? "yes" : "-", model.toolCalls ? "yes" : "-",
            ])
        }
        context.stdout.write(table.render(style: context.style))
        context.stdout.line(context.style.dim("\(snapshot.models.count) models"))
        return .success
    }

    /// Token counts in thousands: `128000` → `128K`, `8192` → `8.2K`.
    static func compact(_ value: Int?) -> String {
        guard let value else { return "-" }
        guard value >= 1000 else { return String(value) }
        if value % 1000 == 0 { return "\(value / 1000)K" }
        let tenths = (value + 50) / 100
        return "\(tenths / 10).\(tenths % 10)K"
    }
}
