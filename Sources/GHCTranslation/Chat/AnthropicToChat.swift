import GHCCore

/// Anthropic Messages request → OpenAI Chat Completions request (Copilot's dialect for most models).
///
/// The upstream call always streams (with usage), so one state machine serves streaming and whole answers alike.
/// Stop sequences are not sent upstream: the stream translator enforces them and reports which one matched.
package enum AnthropicToChat {
    /// Translates a shaped Anthropic request for `model` (already mapped), which accepts the reasoning `efforts` listed.
    package static func request(
        _ anthropic: [String: JSONValue],
        model: String,
        efforts: [String] = []
    ) throws(TranslationError) -> JSONValue {
        var chat: [String: JSONValue] = ["model": .string(model), "stream": true, "stream_options": ["include_usage": true]]
        var messages: [JSONValue] = []
        if let system = systemText(anthropic["system"]), !system.isEmpty {
            messages.append(["role": "system", "content": .string(system)])
        }
        for message in anthropic["messages"]?.arrayValue ?? [] {
            switch message["role"]?.stringValue {
            case "user"?: messages += userMessages(message["content"])
            case "assistant"?: messages.append(assistantMessage(message["content"]))
            case "system"?: messages.append(["role": "system", "content": .string(SystemMessages.text(of: message))])
            case let role: throw .invalidRequest("messages: unsupported role '\(role ?? "none")'")
            }
        }
        chat["messages"] = .array(messages)
        if let maxTokens = anthropic["max_tokens"]?.intValue {
            chat[wantsMaxCompletionTokens(model) ? "max_completion_tokens" : "max_tokens"] = .int(maxTokens)
        }
        for key in ["temperature", "top_p"] { if let value = anthropic[key], value != .null { chat[key] = value } }
        if let user = ClaudeUserID.id(from: anthropic["metadata"]) { chat["user"] = .string(user) }
        if let effort = ReasoningEffort.fit(anthropic["output_config"]?["effort"]?.stringValue, to: efforts) {
            chat["reasoning_effort"] = .string(effort)
        }
        if let tools = anthropic["tools"]?.arrayValue, !tools.isEmpty {
            chat["tools"] = .array(
                tools.map { tool in
                    var function: [String: JSONValue] = [
                        "name": tool["name"] ?? "tool", "parameters": tool["input_schema"] ?? ["type": "object", "properties": [:]],
                    ]
                    if let description = tool["description"]?.stringValue, !description.isEmpty {
                        function["description"] = .string(description)
                    }
                    return ["type": "function", "function": .object(function)]
                }
            )
        }
        if let choice = anthropic["tool_choice"] {
            switch choice["type"]?.stringValue {
            case "any"?: chat["tool_choice"] = "required"
            case "none"?: chat["tool_choice"] = "none"
            case "tool"?: chat["tool_choice"] = ["type": "function", "function": ["name": choice["name"] ?? ""]]
            default: chat["tool_choice"] = "auto"
            }
            if choice["disable_parallel_tool_use"]?.boolValue == true { chat["parallel_tool_calls"] = false }
        }
        if anthropic["thinking"]?["type"]?.stringValue == "enabled", let budget = anthropic["thinking"]?["budget_tokens"]?.intValue {
            chat["thinking_budget"] = .int(budget)
        }
        return .object(chat)
    }

    /// GPT-5 and the o-series take `max_completion_tokens` instead of `max_tokens`.
    static func wantsMaxCompletionTokens(_ model: String) -> Bool {
        ["gpt-5", "o1", "o3", "o4"].contains { model.hasPrefix($0) }
    }

    /// The system prompt as one text: a string, or the text blocks joined by blank lines.
    static func systemText(_ system: JSONValue?) -> String? {
        switch system {
        case .string(let text)?: return text
        case .array(let blocks)?:
            return blocks.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: "\n\n")
        default: return nil
        }
    }

    /// A user turn: its tool results first (as `tool` messages), then the rest as one user message.
    /// Images inside tool results follow as a user message, since tool messages cannot carry images.
    static func userMessages(_ content: JSONValue?) -> [JSONValue] {
        guard let blocks = content?.arrayValue else { return [["role": "user", "content": content ?? ""]] }
        var output: [JSONValue] = []
        var toolImages: [JSONValue] = []
        var parts: [JSONValue] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "tool_result"?:
                let (text, images) = toolResultContent(block)
                output.append(["role": "tool", "tool_call_id": block["tool_use_id"] ?? "", "content": .string(text)])
                toolImages += images
            case "text"?:
                parts.append(["type": "text", "text": block["text"] ?? ""])
            case "image"?:
                if let part = imagePart(block) { parts.append(part) }
            case "document"?:
                if let text = block["source"]?["data"]?.stringValue, block["source"]?["type"]?.stringValue == "text" {
                    parts.append(["type": "text", "text": .string(text)])
                }
            default:
                break
            }
        }
        if !toolImages.isEmpty { output.append(["role": "user", "content": .array(toolImages)]) }
        if !parts.isEmpty {
            let onlyText = parts.allSatisfy { $0["type"]?.stringValue == "text" }
            output.append([
                "role": "user",
                "content": onlyText ? .string(parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n\n")) : .array(parts),
            ])
        }
        return output
    }

    /// A tool result's text (an error is marked) and its images as `image_url` parts.
    static func toolResultContent(_ block: JSONValue) -> (String, [JSONValue]) {
        var text: String
        var images: [JSONValue] = []
        switch block["content"] {
        case .string(let value)?: text = value
        case .array(let parts)?:
            text = parts.compactMap { part in
                switch part["type"]?.stringValue {
                case "text"?: part["text"]?.stringValue
                case "tool_reference"?: CopilotMessagesCompatibility.text(ofToolReference: part)
                default: nil
                }
            }.joined(separator: "\n\n")
            images = parts.compactMap { $0["type"]?.stringValue == "image" ? imagePart($0) : nil }
        default: text = ""
        }
        if block["is_error"]?.boolValue == true { text = "Error: " + text }
        return (text, images)
    }

    /// An Anthropic image block as an OpenAI `image_url` part (base64 as a data URL, or the URL itself).
    static func imagePart(_ block: JSONValue) -> JSONValue? {
        guard let source = block["source"] else { return nil }
        switch source["type"]?.stringValue {
        case "base64"?:
            let media = source["media_type"]?.stringValue ?? "image/png"
            return ["type": "image_url", "image_url": ["url": .string("data:\(media);base64,\(source["data"]?.stringValue ?? "")")]]
        case "url"?:
            return ["type": "image_url", "image_url": ["url": source["url"] ?? ""]]
        default:
            return nil
        }
    }

    /// An assistant turn: text, tool calls, and earlier thinking as Copilot's `reasoning_text` / `reasoning_opaque`
    /// so the signature survives the round trip.
    static func assistantMessage(_ content: JSONValue?) -> JSONValue {
        guard let blocks = content?.arrayValue else { return ["role": "assistant", "content": content ?? ""] }
        var message: [String: JSONValue] = ["role": "assistant"]
        var texts: [String] = []
        var calls: [JSONValue] = []
        var reasoning: [String] = []
        for block in blocks {
            switch block["type"]?.stringValue {
            case "text"?:
                texts.append(block["text"]?.stringValue ?? "")
            case "thinking"?:
                reasoning.append(block["thinking"]?.stringValue ?? "")
                if let signature = block["signature"]?.stringValue, !signature.isEmpty { message["reasoning_opaque"] = .string(signature) }
            case "tool_use"?:
                calls.append([
                    "id": block["id"] ?? "", "type": "function",
                    "function": ["name": block["name"] ?? "", "arguments": .string((block["input"] ?? .object([:])).jsonString())],
                ])
            default:
                break
            }
        }
        let text = texts.joined(separator: "\n\n")
        message["content"] = text.isEmpty && !calls.isEmpty ? .null : .string(text)
        if !calls.isEmpty { message["tool_calls"] = .array(calls) }
        if !reasoning.isEmpty { message["reasoning_text"] = .string(reasoning.joined(separator: "\n\n")) }
        return .object(message)
    }
}
