import GHCCore

/// One entry of Copilot's `/models` catalog, with the fields the proxy and the CLI use.
package struct CopilotModel: Sendable, Equatable {
    /// The model id, such as `claude-sonnet-4.5`.
    package let id: String
    /// The display name.
    package let name: String
    /// Who makes it (`Anthropic`, `OpenAI`, …).
    package let vendor: String
    /// Whether Copilot marks it as a preview.
    package let preview: Bool
    /// `chat`, `embeddings`, …
    package let type: String?
    /// `capabilities.limits.max_context_window_tokens`
    package let contextWindow: Int?
    /// `capabilities.limits.max_prompt_tokens`
    package let maxPromptTokens: Int?
    /// `capabilities.limits.max_output_tokens`
    package let maxOutputTokens: Int?
    /// The API paths it can be called on (`/chat/completions`, `/v1/messages`, `/responses`).
    package let supportedEndpoints: [String]
    /// Whether it accepts images.
    package let vision: Bool
    /// Whether it can call tools.
    package let toolCalls: Bool
    /// Whether it streams.
    package let streaming: Bool?
    /// The reasoning efforts it accepts.
    package let reasoningEfforts: [String]
    /// The whole catalog entry as Copilot sent it.
    package let raw: JSONValue

    /// Reads a catalog entry; `nil` when it has no id.
    package init?(_ raw: JSONValue) {
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
    package var isEmbedding: Bool { type == "embeddings" }
    /// Whether Copilot serves it on `/v1/messages`.
    package var speaksMessages: Bool { supportedEndpoints.contains("/v1/messages") }
    /// Whether Copilot serves it on the Responses API.
    package var speaksResponses: Bool { supportedEndpoints.contains("/responses") || supportedEndpoints.contains("/v1/responses") }
    /// Whether Copilot serves it on `/chat/completions`.
    package var speaksChat: Bool { supportedEndpoints.contains("/chat/completions") || supportedEndpoints.contains("/v1/chat/completions") }
}
