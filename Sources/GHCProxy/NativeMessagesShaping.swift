import GHCCore
import GHCUpstream

/// Request shaping for models Copilot serves on `/v1/messages` itself.
enum NativeMessagesShaping {
    /// `anthropic-beta` tokens passed on to Copilot; others (Claude Code's OAuth and product betas) are dropped,
    /// since Copilot rejects what it does not know.
    static let forwardedBetas: Set<String> = [
        "interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14", "token-efficient-tools-2025-02-19",
        "context-1m-2025-08-07", "effort-2025-11-24",
    ]

    /// The `anthropic-beta` header to send, if any token survives the filter.
    static func betaHeader(_ client: String?) -> String? {
        guard let client else { return nil }
        let kept = client.split(separator: ",").map { $0.trimmedWhitespace }.filter { forwardedBetas.contains($0) }
        return kept.isEmpty ? nil : kept.joined(separator: ",")
    }

    /// Newer Claude models on Copilot take `thinking: {type: adaptive}` with an effort instead of a budget, and
    /// only the efforts they list; `max_tokens` must exceed a thinking budget.
    static func shapeThinking(_ request: inout [String: JSONValue], model: CopilotModel?) {
        let efforts = model?.reasoningEfforts ?? []
        if request["thinking"]?["type"]?.stringValue == "enabled", !efforts.isEmpty {
            let budget = request["thinking"]?["budget_tokens"]?.intValue ?? 0
            request["thinking"] = ["type": "adaptive"]
            var output = request["output_config"]?.objectValue ?? [:]
            if output["effort"] == nil {
                output["effort"] = .string(budget == 0 ? "high" : budget < 4096 ? "low" : budget < 16384 ? "medium" : "high")
            }
            request["output_config"] = .object(output)
        } else if let budget = request["thinking"]?["budget_tokens"]?.intValue, let maxTokens = request["max_tokens"]?.intValue,
            maxTokens <= budget
        {
            request["max_tokens"] = .int(budget + min(16384, budget))
        }
        if let effort = request["output_config"]?["effort"]?.stringValue, !efforts.contains(effort) {
            request["output_config"] = nil
        }
    }
}
