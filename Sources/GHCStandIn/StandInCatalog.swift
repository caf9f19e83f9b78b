import GHCCore

/// The model catalog the stand-in serves: today's names (`claude-opus-5.5`, `gpt-5.5`, `gpt-5.3-codex`, …) and
/// older ones, with at least one model of each routing kind Copilot has.
package enum StandInCatalog {
    /// The catalog entry with this id, if the stand-in serves it.
    static func entry(_ id: String) -> JSONValue? {
        models["data"]?.arrayValue?.first { $0["id"]?.stringValue == id }
    }

    /// The `/models` answer.
    package static let models: JSONValue = [
        "object": "list",
        "data": [
            model(
                "claude-opus-5.5",
                name: "Claude Opus 5.5",
                vendor: "Anthropic",
                endpoints: ["/chat/completions", "/v1/messages"],
                context: 200_000,
                prompt: 168_000,
                output: 32_000,
                vision: true,
                efforts: ["low", "medium", "high"]
            ),
            model(
                "claude-sonnet-4.6",
                name: "Claude Sonnet 4.6",
                vendor: "Anthropic",
                endpoints: ["/chat/completions", "/v1/messages"],
                context: 200_000,
                prompt: 168_000,
                output: 32_000,
                vision: true,
                efforts: ["low", "medium", "high"]
            ),
            model(
                "claude-sonnet-4.5",
                name: "Claude Sonnet 4.5",
                vendor: "Anthropic",
                endpoints: ["/chat/completions", "/v1/messages"],
                context: 200_000,
                prompt: 128_000,
                output: 16_000,
                vision: true,
                efforts: ["low", "medium", "high"]
            ),
            model(
                "claude-haiku-4.5",
                name: "Claude Haiku 4.5",
                vendor: "Anthropic",
                endpoints: ["/chat/completions", "/v1/messages"],
                context: 200_000,
                prompt: 128_000,
                output: 8_192,
                vision: true
            ),
            model(
                "gpt-5.5",
                name: "GPT-5.5",
                vendor: "OpenAI",
                endpoints: ["/chat/completions", "/responses"],
                context: 400_000,
                prompt: 272_000,
                output: 128_000,
                vision: true,
                efforts: ["low", "medium", "high", "xhigh"]
            ),
            model(
                "gpt-5.3-codex",
                name: "GPT-5.3-Codex",
                vendor: "OpenAI",
                endpoints: ["/responses"],
                context: 400_000,
                prompt: 272_000,
                output: 128_000,
                vision: true,
                efforts: ["low", "medium", "high", "xhigh"]
            ),
            model(
                "gpt-4.1",
                name: "GPT-4.1",
                vendor: "Azure OpenAI",
                endpoints: ["/chat/completions"],
                context: 128_000,
                prompt: 128_000,
                output: 16_384,
                vision: true
            ),
            model(
                "gpt-5-mini",
                name: "GPT-5 mini",
                vendor: "Azure OpenAI",
                endpoints: ["/chat/completions", "/responses"],
                context: 264_000,
                prompt: 128_000,
                output: 64_000,
                vision: true,
                efforts: ["low", "medium", "high"]
            ),
            model(
                "gpt-5.2-codex",
                name: "GPT-5.2-Codex",
                vendor: "OpenAI",
                endpoints: ["/responses"],
                context: 400_000,
                prompt: 272_000,
                output: 128_000,
                vision: true,
                efforts: ["low", "medium", "high", "xhigh"]
            ),
            model(
                "gemini-2.5-pro",
                name: "Gemini 2.5 Pro",
                vendor: "Google",
                endpoints: ["/chat/completions"],
                context: 128_000,
                prompt: 128_000,
                output: 64_000,
                vision: true,
                preview: true
            ),
            [
                "id": "text-embedding-3-small", "name": "Embedding V3 small", "vendor": "Azure OpenAI", "object": "model", "preview": false,
                "capabilities": [
                    "type": "embeddings", "family": "text-embedding-3-small", "limits": ["max_inputs": 512],
                    "supports": ["dimensions": true],
                ],
            ],
        ],
    ]

    private static func model(
        _ id: String,
        name: String,
        vendor: String,
        endpoints: [String],
        context: Int,
        prompt: Int,
        output: Int,
        vision: Bool,
        efforts: [String] = [],
        preview: Bool = false
    ) -> JSONValue {
        var supports: [String: JSONValue] = ["streaming": true, "tool_calls": true, "parallel_tool_calls": true, "vision": .bool(vision)]
        // Copilot's premium-request multipliers: 0 for the included models, more for the large ones.
        let multipliers: [String: JSONValue] = ["gpt-5-mini": 0, "gpt-4.1": 0, "claude-haiku-4.5": 0.33, "claude-opus-5.5": 3]
        let multiplier = multipliers[id] ?? 1
        if !efforts.isEmpty { supports["reasoning_effort"] = .array(efforts.map(JSONValue.string)) }
        return [
            "id": .string(id), "name": .string(name), "vendor": .string(vendor), "object": "model", "preview": .bool(preview),
            "model_picker_enabled": true, "supported_endpoints": .array(endpoints.map(JSONValue.string)),
            "billing": ["is_premium": .bool(multiplier != 0), "multiplier": multiplier],
            "capabilities": [
                "type": "chat", "family": .string(id), "object": "model_capabilities", "tokenizer": "o200k_base",
                "limits": [
                    "max_context_window_tokens": .int(context), "max_prompt_tokens": .int(prompt), "max_output_tokens": .int(output),
                ],
                "supports": .object(supports),
            ],
        ]
    }
}
