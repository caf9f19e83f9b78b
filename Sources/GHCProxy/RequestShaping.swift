import GHCCore

/// Decisions about a request that the upstream headers carry.
enum RequestShaping {
    /// `X-Initiator` by the last message: `agent` when it is an assistant or tool message, or a user message that
    /// carries a `tool_result` block (a continuation of an agent loop); `user` for a user's own new turn.
    /// ghc-api 1.0.31 looked at every message, so each follow-up question was billed as a continuation.
    static func initiator(messages: [JSONValue]) -> String {
        guard let last = messages.last else { return "user" }
        switch last["role"]?.stringValue {
        case "assistant"?, "tool"?, "function"?:
            return "agent"
        default:
            let blocks = last["content"]?.arrayValue ?? []
            return blocks.contains { $0["type"]?.stringValue == "tool_result" } ? "agent" : "user"
        }
    }

    /// `X-Initiator` for a Responses `input`: `agent` when the last item is a tool output or the assistant's.
    static func initiator(responsesInput input: JSONValue?) -> String {
        guard let last = input?.arrayValue?.last else { return "user" }
        let type = last["type"]?.stringValue ?? ""
        if type == "function_call_output" || type == "function_call" || type == "custom_tool_call_output" || type == "reasoning" { return "agent" }
        return last["role"]?.stringValue == "assistant" ? "agent" : "user"
    }

    /// Whether any message carries an image part (`image_url` in Chat Completions, `image` in Anthropic, also inside tool results).
    static func hasImages(messages: [JSONValue]) -> Bool {
        messages.contains { message in containsImage(message["content"]) }
    }

    /// Whether a Responses `input` carries an `input_image`.
    static func hasImages(responsesInput input: JSONValue?) -> Bool {
        guard let items = input?.arrayValue else { return false }
        return items.contains { item in item["type"]?.stringValue == "input_image" || containsImage(item["content"]) || containsImage(item["output"]) }
    }

    private static func containsImage(_ content: JSONValue?) -> Bool {
        guard let parts = content?.arrayValue else { return false }
        return parts.contains { part in
            switch part["type"]?.stringValue {
            case "image_url"?, "image"?, "input_image"?: true
            case "tool_result"?: containsImage(part["content"])
            default: false
            }
        }
    }
}
