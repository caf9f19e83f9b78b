import GHCCore

/// The content filters of `config.yaml`, applied to Anthropic requests before any path.
package struct ContentFilters: Sendable, Equatable {
    /// Strings deleted from system prompt text.
    package var systemPromptRemove: [String]
    /// Paragraphs appended to the system prompt when not already there.
    package var systemPromptAdd: [String]
    /// Suffixes cut from string tool results, in order.
    package var toolResultSuffixRemove: [String]

    /// Creates filters.
    package init(systemPromptRemove: [String] = [], systemPromptAdd: [String] = [], toolResultSuffixRemove: [String] = []) {
        self.systemPromptRemove = systemPromptRemove
        self.systemPromptAdd = systemPromptAdd
        self.toolResultSuffixRemove = toolResultSuffixRemove
    }
}

/// Request repairs every Anthropic path applies: content filters, Claude Code's billing-header block,
/// `tool_result` blocks without a matching `tool_use`, and `cache_control` fields Copilot rejects.
package enum AnthropicShaping {
    /// The start of the text of Claude Code's billing-header system block, which is dropped.
    static let billingMarker = "x-anthropic-billing-header"

    /// Applies everything to a request object.
    package static func shape(_ request: inout [String: JSONValue], filters: ContentFilters) {
        applySystemFilters(&request, filters: filters)
        if var messages = request["messages"]?.arrayValue {
            messages = removeOrphanToolResults(messages)
            if !filters.toolResultSuffixRemove.isEmpty {
                messages = messages.map { cutToolResultSuffixes($0, filters.toolResultSuffixRemove) }
            }
            request["messages"] = .array(messages)
        }
        stripCacheControlScope(&request)
    }

    /// System prompt: drop billing-header blocks, delete `remove` strings, append `add` paragraphs not yet present.
    static func applySystemFilters(_ request: inout [String: JSONValue], filters: ContentFilters) {
        func removing(_ text: String) -> String {
            filters.systemPromptRemove.reduce(text) { $1.isEmpty ? $0 : $0.replacingAll($1, with: "") }
        }
        switch request["system"] {
        case .string(let text)?:
            var filtered = removing(text)
            for addition in filters.systemPromptAdd where !filtered.contains(addition) {
                filtered += (filtered.isEmpty ? "" : "\n\n") + addition
            }
            request["system"] = .string(filtered)
        case .array(let blocks)?:
            var kept: [JSONValue] = []
            for block in blocks {
                guard block["type"]?.stringValue == "text", let text = block["text"]?.stringValue else {
                    kept.append(block)
                    continue
                }
                if text.hasPrefix(billingMarker) { continue }
                var copy = block
                copy["text"] = .string(removing(text))
                kept.append(copy)
            }
            let allText = kept.compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
            for addition in filters.systemPromptAdd where !allText.contains(addition) {
                kept.append(["type": "text", "text": .string(addition)])
            }
            request["system"] = .array(kept)
        default:
            if !filters.systemPromptAdd.isEmpty {
                request["system"] = .array(filters.systemPromptAdd.map { ["type": "text", "text": .string($0)] })
            }
        }
    }

    /// Drops `tool_result` blocks whose `tool_use_id` no earlier assistant `tool_use` announced (Copilot rejects
    /// the whole request otherwise); a user message left empty is dropped.
    static func removeOrphanToolResults(_ messages: [JSONValue]) -> [JSONValue] {
        var announced: Set<String> = []
        var output: [JSONValue] = []
        for message in messages {
            guard let blocks = message["content"]?.arrayValue else {
                output.append(message)
                continue
            }
            if message["role"]?.stringValue == "assistant" {
                for block in blocks where block["type"]?.stringValue == "tool_use" {
                    if let id = block["id"]?.stringValue { announced.insert(id) }
                }
                output.append(message)
                continue
            }
            let kept = blocks.filter { block in
                block["type"]?.stringValue != "tool_result" || announced.contains(block["tool_use_id"]?.stringValue ?? "")
            }
            if kept.count == blocks.count {
                output.append(message)
            } else if !kept.isEmpty {
                var copy = message
                copy["content"] = .array(kept)
                output.append(copy)
            }
        }
        return output
    }

    /// Cuts each suffix in turn from the end of the message's string `tool_result` contents.
    static func cutToolResultSuffixes(_ message: JSONValue, _ suffixes: [String]) -> JSONValue {
        guard let blocks = message["content"]?.arrayValue else { return message }
        var copy = message
        copy["content"] = .array(
            blocks.map { block in
                guard block["type"]?.stringValue == "tool_result", var text = block["content"]?.stringValue else { return block }
                for suffix in suffixes where !suffix.isEmpty && text.hasSuffix(suffix) { text.removeLast(suffix.count) }
                var changed = block
                changed["content"] = .string(text)
                return changed
            }
        )
        return copy
    }

    /// Removes `scope` from every `cache_control` object (Copilot: "Extra inputs are not permitted").
    static func stripCacheControlScope(_ request: inout [String: JSONValue]) {
        func clean(_ value: JSONValue) -> JSONValue {
            switch value {
            case .object(var members):
                if var control = members["cache_control"]?.objectValue, control["scope"] != nil {
                    control["scope"] = nil
                    members["cache_control"] = .object(control)
                }
                for (key, member) in members where key != "cache_control" && key != "input" { members[key] = clean(member) }
                return .object(members)
            case .array(let items):
                return .array(items.map(clean))
            default:
                return value
            }
        }
        for key in ["system", "messages", "tools"] { if let value = request[key] { request[key] = clean(value) } }
    }
}
