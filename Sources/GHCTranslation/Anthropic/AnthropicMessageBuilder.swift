import GHCCore

/// Folds a stream of Anthropic events into the message a non-streaming call returns, the way the official
/// SDKs' stream helpers do, so the two forms always agree.
package struct AnthropicMessageBuilder: Sendable {
    private var message: [String: JSONValue] = [:]
    private var blocks: [Int: [String: JSONValue]] = [:]
    private var partialJSON: [Int: String] = [:]
    /// The error event, if the stream carried one.
    package private(set) var error: JSONValue?

    /// Creates an empty builder.
    package init() {}

    /// Applies one event.
    package mutating func apply(_ event: AnthropicEvent) {
        let data = event.data
        switch event.type {
        case "message_start":
            message = data["message"]?.objectValue ?? [:]
        case "content_block_start":
            guard let index = data["index"]?.intValue else { return }
            blocks[index] = data["content_block"]?.objectValue ?? [:]
        case "content_block_delta":
            guard let index = data["index"]?.intValue, var block = blocks[index], let delta = data["delta"] else { return }
            switch delta["type"]?.stringValue {
            case "text_delta"?: block["text"] = .string((block["text"]?.stringValue ?? "") + (delta["text"]?.stringValue ?? ""))
            case "thinking_delta"?:
                block["thinking"] = .string((block["thinking"]?.stringValue ?? "") + (delta["thinking"]?.stringValue ?? ""))
            case "signature_delta"?:
                block["signature"] = .string((block["signature"]?.stringValue ?? "") + (delta["signature"]?.stringValue ?? ""))
            case "input_json_delta"?: partialJSON[index, default: ""] += delta["partial_json"]?.stringValue ?? ""
            default: break
            }
            blocks[index] = block
        case "content_block_stop":
            guard let index = data["index"]?.intValue, var block = blocks[index] else { return }
            if block["type"]?.stringValue == "tool_use" {
                let text = partialJSON[index] ?? ""
                block["input"] = text.isEmpty ? .object([:]) : ((try? JSONValue.parse(Array(text.utf8))) ?? .object([:]))
                blocks[index] = block
            }
        case "message_delta":
            for (key, value) in data["delta"]?.objectValue ?? [:] { message[key] = value }
            var usage = message["usage"]?.objectValue ?? [:]
            for (key, value) in data["usage"]?.objectValue ?? [:] where value != .null { usage[key] = value }
            message["usage"] = .object(usage)
        case "error":
            error = data["error"]
        default:
            break
        }
    }

    /// The message so far, content blocks in index order.
    package var result: JSONValue {
        var output = message
        output["content"] = .array(blocks.keys.sorted().compactMap { blocks[$0].map(JSONValue.object) })
        return .object(output)
    }
}
