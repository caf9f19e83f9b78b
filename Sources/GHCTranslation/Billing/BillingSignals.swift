import GHCCore

/// The two request facts that Copilot bills and routes by: who started the turn (`X-Initiator`) and whether it
/// carries images (`Copilot-Vision-Request`). One rule for every dialect, so billing cannot drift between routes.
package enum BillingSignals {
    /// `X-Initiator` for a list of Chat Completions or Anthropic messages, decided by the last message that is not a
    /// `system` or `developer` message: `agent` for an assistant or tool message, or a user message that carries a
    /// `tool_result` block (a continuation of the agent loop); `user` for a user's own new turn.
    ///
    /// ghc-api 1.0.31 looked at every message, so each follow-up question was billed as a continuation. Claude Code
    /// puts an environment block in a `system` message after the question; that block does not make it the agent's.
    package static func initiator(messages: [JSONValue]) -> String {
        guard let last = messages.last(where: { !instructionRoles.contains($0["role"]?.stringValue ?? "") }) else { return "user" }
        switch last["role"]?.stringValue {
        case "assistant"?, "tool"?, "function"?:
            return "agent"
        default:
            let blocks = last["content"]?.arrayValue ?? []
            return blocks.contains { $0["type"]?.stringValue == "tool_result" } ? "agent" : "user"
        }
    }

    /// `X-Initiator` for a Responses `input`: `agent` when the last item that is not a system or developer message is a
    /// tool call, a tool output, reasoning or the assistant's; `user` otherwise (and for a plain string input).
    package static func initiator(responsesInput input: JSONValue?) -> String {
        guard let last = input?.arrayValue?.last(where: { !instructionRoles.contains($0["role"]?.stringValue ?? "") }) else {
            return "user"
        }
        if agentItemTypes.contains(last["type"]?.stringValue ?? "") { return "agent" }
        return last["role"]?.stringValue == "assistant" ? "agent" : "user"
    }

    /// Roles of instructions rather than turns (made once, not per request).
    private static let instructionRoles: Set<String> = ["system", "developer"]

    /// Responses item types that continue the agent's loop.
    private static let agentItemTypes: Set<String> = [
        "function_call_output", "function_call", "custom_tool_call", "custom_tool_call_output", "reasoning",
    ]

    /// Whether any Chat Completions or Anthropic message carries an image, tool results included.
    package static func hasImages(messages: [JSONValue]) -> Bool {
        messages.contains { containsImage($0["content"]) }
    }

    /// Whether a Responses `input` carries an `input_image`, in a message or a tool output.
    package static func hasImages(responsesInput input: JSONValue?) -> Bool {
        guard let items = input?.arrayValue else { return false }
        return items.contains { item in
            item["type"]?.stringValue == "input_image" || containsImage(item["content"]) || containsImage(item["output"])
        }
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
