import GHCCore

/// Shapes a Claude Code request for Copilot's native `/v1/messages`, which does not take the betas that gate some of
/// today's fields. Each field below belongs to a beta the proxy does not forward, so Copilot would refuse it:
///
/// | field | beta |
/// | --- | --- |
/// | `role: "system"` messages, a message's own `output_config` | `per-turn-control-2026-07-01` |
/// | `context_management` | `context-management-2025-06-27` |
/// | `thinking.display` | `thinking-token-count-2026-05-13` |
/// | `tools[].defer_loading`, `tool_reference` blocks | `advanced-tool-use-2025-11-20` |
/// | `container`, `mcp_servers` | code execution and MCP connector betas |
///
/// Fields the proxy does not know are kept: Copilot's catalog and API move faster than this list.
package enum CopilotMessagesCompatibility {
    /// Top-level members dropped from every native request.
    static let refusedMembers = ["context_management", "container", "mcp_servers"]

    /// Applies the shaping; `passSystemMessages` keeps `system` messages (and their `output_config`) as they are instead
    /// of folding them into user turns. Returns the names of what was changed, for the debug log.
    @discardableResult
    package static func shape(_ request: inout [String: JSONValue], passSystemMessages: Bool) -> [String] {
        var changed: [String] = []
        for member in refusedMembers where request.removeValue(forKey: member) != nil { changed.append(member) }
        if var thinking = request["thinking"]?.objectValue, thinking.removeValue(forKey: "display") != nil {
            request["thinking"] = .object(thinking)
            changed.append("thinking.display")
        }
        if let tools = request["tools"]?.arrayValue, tools.contains(where: { $0["defer_loading"] != nil }) {
            request["tools"] = .array(tools.map { removing("defer_loading", from: $0) })
            changed.append("tools[].defer_loading")
        }
        if var messages = request["messages"]?.arrayValue {
            if !passSystemMessages, messages.contains(where: SystemMessages.isSystem) {
                messages = SystemMessages.fold(messages.map { removing("output_config", from: $0) })
                changed.append("system messages folded")
            }
            if messages.contains(where: hasToolReference) {
                messages = messages.map(replacingToolReferences)
                changed.append("tool_reference blocks")
            }
            request["messages"] = .array(messages)
        }
        return changed
    }

    /// Lowers `max_tokens` to the model's output limit, which Copilot enforces (Claude Code asks for 128,000).
    package static func clampMaxTokens(_ request: inout [String: JSONValue], limit: Int?) {
        guard let limit, let asked = request["max_tokens"]?.intValue, asked > limit else { return }
        request["max_tokens"] = .int(limit)
    }

    /// A `tool_reference` block (a tool that a tool search loaded) as the text a model without the beta understands.
    package static func text(ofToolReference block: JSONValue) -> String {
        "Tool \(block["tool_name"]?.stringValue ?? "?") is loaded and can be called."
    }

    private static func removing(_ key: String, from value: JSONValue) -> JSONValue {
        guard var members = value.objectValue, members.removeValue(forKey: key) != nil else { return value }
        return .object(members)
    }

    private static func hasToolReference(_ message: JSONValue) -> Bool {
        (message["content"]?.arrayValue ?? []).contains { block in
            (block["content"]?.arrayValue ?? []).contains { $0["type"]?.stringValue == "tool_reference" }
        }
    }

    private static func replacingToolReferences(_ message: JSONValue) -> JSONValue {
        guard let blocks = message["content"]?.arrayValue else { return message }
        var copy = message
        copy["content"] = .array(
            blocks.map { block in
                guard let inner = block["content"]?.arrayValue, inner.contains(where: { $0["type"]?.stringValue == "tool_reference" })
                else { return block }
                var changed = block
                changed["content"] = .array(
                    inner.map { part in
                        part["type"]?.stringValue == "tool_reference"
                            ? ["type": "text", "text": .string(text(ofToolReference: part))] : part
                    }
                )
                return changed
            }
        )
        return copy
    }
}
