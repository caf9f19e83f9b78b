import GHCCore

/// Anthropic Messages request → OpenAI Responses request, for models Copilot serves only on `/responses`.
package enum AnthropicToResponses {
    /// Translates a shaped Anthropic request for `model` (already mapped), which accepts the reasoning `efforts` listed.
    /// The call always streams. A `system` message becomes a `developer` message at its place.
    package static func request(
        _ anthropic: [String: JSONValue],
        model: String,
        efforts: [String] = []
    ) throws(TranslationError) -> JSONValue {
        var request: [String: JSONValue] = [
            "model": .string(model), "stream": true, "store": false, "include": ["reasoning.encrypted_content"],
        ]
        if let system = AnthropicToChat.systemText(anthropic["system"]), !system.isEmpty { request["instructions"] = .string(system) }
        var input: [JSONValue] = []
        for message in anthropic["messages"]?.arrayValue ?? [] {
            let role = message["role"]?.stringValue ?? "user"
            if role == "system" {
                input.append([
                    "type": "message", "role": "developer",
                    "content": [["type": "input_text", "text": .string(SystemMessages.text(of: message))]],
                ])
                continue
            }
            guard role == "user" || role == "assistant" else { throw .invalidRequest("messages: unsupported role '\(role)'") }
            input += items(message["content"], role: role)
        }
        request["input"] = .array(input)
        if let maxTokens = anthropic["max_tokens"]?.intValue { request["max_output_tokens"] = .int(maxTokens) }
        if let tools = anthropic["tools"]?.arrayValue, !tools.isEmpty {
            request["tools"] = .array(
                tools.compactMap { tool in
                    guard let name = tool["name"]?.stringValue,
                        tool["input_schema"] != nil || tool["type"] == nil || tool["type"]?.stringValue == "custom"
                    else { return nil }
                    var function: [String: JSONValue] = [
                        "type": "function", "name": .string(name), "strict": false,
                        "parameters": tool["input_schema"] ?? ["type": "object", "properties": [:]],
                    ]
                    let description = tool["description"]?.stringValue ?? ""
                    function["description"] = .string(description.trimmedWhitespace.isEmpty ? "Tool: \(name)." : description)
                    return .object(function)
                }
            )
            request["parallel_tool_calls"] = .bool(anthropic["tool_choice"]?["disable_parallel_tool_use"]?.boolValue != true)
        }
        if let choice = anthropic["tool_choice"] {
            switch choice["type"]?.stringValue {
            case "any"?: request["tool_choice"] = "required"
            case "none"?: request["tool_choice"] = "none"
            case "tool"?: request["tool_choice"] = ["type": "function", "name": choice["name"] ?? ""]
            default: request["tool_choice"] = "auto"
            }
        }
        if let effort = ReasoningEffort.fit(effort(anthropic), to: efforts) {
            request["reasoning"] = ["effort": .string(effort), "summary": "auto"]
        }
        if let user = ClaudeUserID.id(from: anthropic["metadata"]) { request["user"] = .string(user) }
        return .object(request)
    }

    /// The reasoning effort: `output_config.effort` if given, else from the thinking budget.
    static func effort(_ anthropic: [String: JSONValue]) -> String? {
        if let effort = anthropic["output_config"]?["effort"]?.stringValue { return effort }
        switch anthropic["thinking"]?["type"]?.stringValue {
        case "enabled"?:
            let budget = anthropic["thinking"]?["budget_tokens"]?.intValue ?? 0
            return budget >= 16_000 ? "high" : budget >= 4_000 ? "medium" : "low"
        case "adaptive"?, "auto"?: return "high"
        default: return nil
        }
    }

    /// One Anthropic message as Responses input items.
    static func items(_ content: JSONValue?, role: String) -> [JSONValue] {
        let textType = role == "assistant" ? "output_text" : "input_text"
        guard let blocks = content?.arrayValue else {
            return [["type": "message", "role": .string(role), "content": [["type": .string(textType), "text": content ?? ""]]]]
        }
        var items: [JSONValue] = []
        var parts: [JSONValue] = []
        func flush() {
            if !parts.isEmpty { items.append(["type": "message", "role": .string(role), "content": .array(parts)]) }
            parts = []
        }
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text"?:
                parts.append(["type": .string(textType), "text": block["text"] ?? ""])
            case "image"?:
                if let url = AnthropicToChat.imagePart(block)?["image_url"]?["url"] {
                    parts.append(["type": "input_image", "image_url": url])
                }
            case "thinking"?:
                flush()
                if let signature = block["signature"]?.stringValue, let carried = ReasoningCarrier.encryptedContent(in: signature) {
                    let summary = block["thinking"]?.stringValue ?? ""
                    items.append([
                        "type": "reasoning", "encrypted_content": .string(carried.content),
                        "summary": summary.isEmpty ? [] : [["type": "summary_text", "text": .string(summary)]],
                    ])
                }
            case "tool_use"?:
                flush()
                items.append([
                    "type": "function_call", "call_id": block["id"] ?? "", "name": block["name"] ?? "",
                    "arguments": .string((block["input"] ?? .object([:])).jsonString()),
                ])
            case "tool_result"?:
                flush()
                let (text, _) = AnthropicToChat.toolResultContent(block)
                items.append(["type": "function_call_output", "call_id": block["tool_use_id"] ?? "", "output": .string(text)])
            default:
                break
            }
        }
        flush()
        return items
    }
}
