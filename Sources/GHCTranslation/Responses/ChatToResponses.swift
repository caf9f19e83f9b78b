import GHCCore

/// OpenAI Chat Completions request → Responses request, for models Copilot serves only on `/responses`.
package enum ChatToResponses {
    /// Translates a chat request for `model` (already mapped). The call always streams.
    package static func request(_ chat: [String: JSONValue], model: String) throws(TranslationError) -> JSONValue {
        var request: [String: JSONValue] = ["model": .string(model), "stream": true, "store": false]
        var instructions: [String] = []
        var input: [JSONValue] = []
        for message in chat["messages"]?.arrayValue ?? [] {
            let role = message["role"]?.stringValue ?? "user"
            switch role {
            case "system", "developer":
                instructions.append(text(message["content"]))
            case "assistant":
                let content = text(message["content"])
                if !content.isEmpty {
                    input.append(["type": "message", "role": "assistant", "content": [["type": "output_text", "text": .string(content)]]])
                }
                for call in message["tool_calls"]?.arrayValue ?? [] {
                    input.append([
                        "type": "function_call", "call_id": call["id"] ?? "", "name": call["function"]?["name"] ?? "",
                        "arguments": call["function"]?["arguments"] ?? "{}",
                    ])
                }
            case "tool", "function":
                input.append([
                    "type": "function_call_output", "call_id": message["tool_call_id"] ?? message["name"] ?? "",
                    "output": .string(text(message["content"])),
                ])
            default:
                input.append(["type": "message", "role": "user", "content": .array(userParts(message["content"]))])
            }
        }
        if !instructions.isEmpty { request["instructions"] = .string(instructions.joined(separator: "\n\n")) }
        request["input"] = .array(input)
        if let max = chat["max_completion_tokens"] ?? chat["max_tokens"], max != .null { request["max_output_tokens"] = max }
        for key in ["temperature", "top_p", "parallel_tool_calls", "user", "metadata"] {
            if let value = chat[key], value != .null { request[key] = value }
        }
        if let effort = chat["reasoning_effort"]?.stringValue { request["reasoning"] = ["effort": .string(effort)] }
        if let tools = chat["tools"]?.arrayValue {
            request["tools"] = .array(
                tools.map { tool in
                    guard tool["type"]?.stringValue == "function", let function = tool["function"] else { return tool }
                    return [
                        "type": "function", "name": function["name"] ?? "", "description": function["description"] ?? "",
                        "parameters": function["parameters"] ?? ["type": "object", "properties": [:]],
                    ]
                }
            )
        }
        switch chat["tool_choice"] {
        case .object(let choice)?: request["tool_choice"] = ["type": "function", "name": choice["function"]?["name"] ?? ""]
        case let choice?: request["tool_choice"] = choice
        case nil: break
        }
        return .object(request)
    }

    /// The text of chat content: a string, or its parts' texts joined by newlines.
    static func text(_ content: JSONValue?) -> String {
        switch content {
        case .string(let value)?: return value
        case .array(let parts)?: return parts.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
        default: return ""
        }
    }

    /// User content as Responses parts: text as `input_text`, images as `input_image`, other parts dropped.
    static func userParts(_ content: JSONValue?) -> [JSONValue] {
        guard let parts = content?.arrayValue else { return [["type": "input_text", "text": .string(text(content))]] }
        return parts.compactMap { part in
            switch part["type"]?.stringValue {
            case "text"?: return ["type": "input_text", "text": part["text"] ?? ""]
            case "image_url"?: return ["type": "input_image", "image_url": part["image_url"]?["url"] ?? ""]
            default: return nil
            }
        }
    }
}
