import GHCCore

/// `role: "system"` entries inside Anthropic `messages` (Claude Code's `per-turn-control-2026-07-01` beta): their text,
/// and how to fold them into user turns for an upstream that accepts only `user` and `assistant`.
package enum SystemMessages {
    /// Whether a message is a system message.
    package static func isSystem(_ message: JSONValue) -> Bool {
        message["role"]?.stringValue == "system"
    }

    /// The text of a system message: a string, or its text blocks joined by blank lines.
    package static func text(of message: JSONValue) -> String {
        AnthropicToChat.systemText(message["content"]) ?? ""
    }

    /// The messages with every system message folded into the neighbouring user turn, as a text block wrapped in
    /// `<system-reminder>` (the way Claude Code sent such context before it had system messages):
    /// - right after a user turn, it is appended to that turn;
    /// - otherwise it goes at the start of the next user turn (after its `tool_result` blocks, which must lead);
    /// - with no user turn to join, it becomes a user turn of its own.
    /// The block keeps the last `cache_control` of the system message, so prompt caching still applies there.
    package static func fold(_ messages: [JSONValue]) -> [JSONValue] {
        guard messages.contains(where: isSystem) else { return messages }
        var output: [JSONValue] = []
        var pending: [JSONValue] = []
        for message in messages {
            if isSystem(message) {
                let block = reminderBlock(message)
                if pending.isEmpty, let last = output.last, last["role"]?.stringValue == "user" {
                    output[output.count - 1] = appending([block], to: last)
                } else {
                    pending.append(block)
                }
                continue
            }
            if !pending.isEmpty {
                if message["role"]?.stringValue == "user" {
                    output.append(inserting(pending, into: message))
                    pending = []
                    continue
                }
                output.append(["role": "user", "content": .array(pending)])
                pending = []
            }
            output.append(message)
        }
        if !pending.isEmpty {
            if let last = output.last, last["role"]?.stringValue == "user" {
                output[output.count - 1] = appending(pending, to: last)
            } else {
                output.append(["role": "user", "content": .array(pending)])
            }
        }
        return output
    }

    /// A system message as one `<system-reminder>` text block.
    static func reminderBlock(_ message: JSONValue) -> JSONValue {
        var block: [String: JSONValue] = ["type": "text", "text": .string("<system-reminder>\n\(text(of: message))\n</system-reminder>")]
        if let control = message["content"]?.arrayValue?.last(where: { $0["cache_control"] != nil })?["cache_control"] {
            block["cache_control"] = control
        }
        return .object(block)
    }

    /// A message's content as blocks (a string becomes one text block).
    static func blocks(of message: JSONValue) -> [JSONValue] {
        switch message["content"] {
        case .string(let text)?: text.isEmpty ? [] : [["type": "text", "text": .string(text)]]
        case .array(let blocks)?: blocks
        default: []
        }
    }

    private static func appending(_ extra: [JSONValue], to message: JSONValue) -> JSONValue {
        var copy = message
        copy["content"] = .array(blocks(of: message) + extra)
        return copy
    }

    private static func inserting(_ extra: [JSONValue], into message: JSONValue) -> JSONValue {
        var content = blocks(of: message)
        let leadingResults = content.prefix { $0["type"]?.stringValue == "tool_result" }.count
        content.insert(contentsOf: extra, at: leadingResults)
        var copy = message
        copy["content"] = .array(content)
        return copy
    }
}
