import GHCCore

/// One entry of Copilot's `/models` catalog, with the fields the proxy and the CLI use.
public struct CopilotModel: Sendable, Equatable {
    /// The model id, such as `claude-sonnet-4.5`.
    public let id: String
    /// The display name.
    public let name: String
    /// Who makes it (`Anthropic`, `OpenAI`, …).
    public let vendor: String
    /// Whether Copilot marks it as a preview.
    public let preview: Bool
    /// `chat`, `embeddings`, …
    public let type: String?
    /// `capabilities.limits.max_context_window_tokens`
    public let contextWindow: Int?
    /// `capabilities.limits.max_prompt_tokens`
    public let maxPromptTokens: Int?
    /// `capabilities.limits.max_output_tokens`
    public let maxOutputTokens: Int?
    /// The API paths it can be called on (`/chat/completions`, `/v1/messages`, `/responses`).
    public let supportedEndpoints: [String]
    /// Whether it accepts images.
    public let vision: Bool
    /// Whether it can call tools.
    public let toolCalls: Bool
    /// Whether it streams.
    public let streaming: Bool?
    /// The reasoning efforts it accepts.
    public let reasoningEfforts: [String]
    /// The whole catalog entry as Copilot sent it.
    public let raw: JSONValue

    /// Reads a catalog entry; `nil` when it has no id.
    public init?(_ raw: JSONValue) {
        guard let id = raw["id"]?.stringValue, !id.isEmpty else { return nil }
        let capabilities = raw["capabilities"]
        let limits = capabilities?["limits"]
        let supports = capabilities?["supports"]
        func positive(_ value: JSONValue?) -> Int? { value?.intValue.flatMap { $0 > 0 ? $0 : nil } }
        self.id = id
        self.raw = raw
        name = raw["name"]?.stringValue ?? id
        vendor = raw["vendor"]?.stringValue ?? "unknown"
        preview = raw["preview"]?.boolValue ?? false
        type = capabilities?["type"]?.stringValue
        contextWindow = positive(limits?["max_context_window_tokens"])
        maxPromptTokens = positive(limits?["max_prompt_tokens"])
        maxOutputTokens = positive(limits?["max_output_tokens"])
        supportedEndpoints = raw["supported_endpoints"]?.arrayValue?.compactMap(\.stringValue) ?? []
        vision = supports?["vision"]?.boolValue ?? false
        toolCalls = supports?["tool_calls"]?.boolValue ?? false
        streaming = supports?["streaming"]?.boolValue
        reasoningEfforts = supports?["reasoning_effort"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    /// Whether this is an embedding model.
    public var isEmbedding: Bool { type == "embeddings" }
    /// Whether Copilot serves it on `/v1/messages`.
    public var speaksMessages: Bool { supportedEndpoints.contains("/v1/messages") }
    /// Whether Copilot serves it on the Responses API.
    public var speaksResponses: Bool { supportedEndpoints.contains("/responses") || supportedEndpoints.contains("/v1/responses") }
    /// Whether Copilot serves it on `/chat/completions`.
    public var speaksChat: Bool { supportedEndpoints.contains("/chat/completions") || supportedEndpoints.contains("/v1/chat/completions") }
}
