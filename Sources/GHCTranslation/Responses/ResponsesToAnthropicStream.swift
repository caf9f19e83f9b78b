import GHCCore

/// Responses API stream events → Anthropic's event grammar. Reasoning items become `thinking` blocks whose
/// signature carries the encrypted reasoning; text streams as `text_delta`; function calls as `tool_use` with
/// streamed `input_json_delta`; `response.completed` ends the message with usage and stop reason.
package struct ResponsesToAnthropicStream: Sendable {
    private let model: String
    private var started = false
    private var openIndex: Int?
    private var openItem: String?
    private var nextIndex = 0
    private var sawToolCall = false
    /// Whether the message ended (normally or with an error event).
    package private(set) var isFinished = false

    /// Creates a translator answering as `model` (the client's name for it).
    package init(model: String) {
        self.model = model
    }

    /// Translates one Responses event (its JSON payload).
    package mutating func consume(_ event: JSONValue) -> [AnthropicEvent] {
        guard !isFinished else { return [] }
        let type = event["type"]?.stringValue ?? ""
        var events: [AnthropicEvent] = []
        if !started, type != "error", type != "response.failed" { events += start(event["response"]?["id"]?.stringValue) }
        switch type {
        case "response.output_item.added":
            let item = event["item"] ?? .object([:])
            if item["type"]?.stringValue == "function_call" {
                sawToolCall = true
                events += open(
                    item: item["id"]?.stringValue,
                    ["type": "tool_use", "id": item["call_id"] ?? "", "name": item["name"] ?? "", "input": .object([:])]
                )
            }
        case "response.output_text.delta", "response.refusal.delta":
            let itemID = event["item_id"]?.stringValue
            if openItem != itemID || openIndex == nil { events += open(item: itemID, ["type": "text", "text": ""]) }
            events.append(delta(["type": "text_delta", "text": event["delta"] ?? ""]))
        case "response.function_call_arguments.delta":
            if openIndex != nil { events.append(delta(["type": "input_json_delta", "partial_json": event["delta"] ?? ""])) }
        case "response.output_item.done":
            let item = event["item"] ?? .object([:])
            if item["type"]?.stringValue == "reasoning" {
                events += reasoning(item)
            } else if openItem == item["id"]?.stringValue {
                events += close()
            }
        case "response.completed", "response.incomplete":
            events += close()
            events += end(event["response"] ?? .object([:]), incomplete: type == "response.incomplete")
        case "response.failed", "error":
            isFinished = true
            let message =
                event["response"]?["error"]?["message"]?.stringValue ?? event["message"]?.stringValue ?? event["error"]?["message"]?
                .stringValue ?? "the upstream Responses stream failed"
            events.append(AnthropicEvent.error(message: message))
        default:
            break
        }
        return events
    }

    /// Ends the translation at the end of the upstream stream; a stream without its terminal event is an error.
    package mutating func finish() -> [AnthropicEvent] {
        guard !isFinished else { return [] }
        isFinished = true
        return [AnthropicEvent.error(message: "the upstream stream ended before the answer was complete")]
    }

    private mutating func start(_ id: String?) -> [AnthropicEvent] {
        started = true
        let messageID = id.map { $0.hasPrefix("msg_") ? $0 : "msg_" + $0 } ?? "msg_ghc"
        let message: JSONValue = [
            "id": .string(messageID), "type": "message", "role": "assistant", "content": [], "model": .string(model),
            "stop_reason": .null, "stop_sequence": .null, "usage": ["input_tokens": 0, "output_tokens": 0],
        ]
        return [AnthropicEvent("message_start", ["message": message]), AnthropicEvent("ping")]
    }

    private mutating func open(item: String?, _ block: JSONValue) -> [AnthropicEvent] {
        var events = close()
        openIndex = nextIndex
        openItem = item
        nextIndex += 1
        events.append(AnthropicEvent("content_block_start", ["index": .int(openIndex ?? 0), "content_block": block]))
        return events
    }

    private mutating func close() -> [AnthropicEvent] {
        guard let index = openIndex else { return [] }
        openIndex = nil
        openItem = nil
        return [AnthropicEvent("content_block_stop", ["index": .int(index)])]
    }

    private func delta(_ delta: JSONValue) -> AnthropicEvent {
        AnthropicEvent("content_block_delta", ["index": .int(openIndex ?? 0), "delta": delta])
    }

    private mutating func reasoning(_ item: JSONValue) -> [AnthropicEvent] {
        let summary = (item["summary"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n\n")
        let signature =
            item["encrypted_content"]?.stringValue.map {
                ReasoningCarrier.signature(encryptedContent: $0, itemID: item["id"]?.stringValue, model: model)
            } ?? ""
        var events = open(item: item["id"]?.stringValue, ["type": "thinking", "thinking": "", "signature": ""])
        if !summary.isEmpty { events.append(delta(["type": "thinking_delta", "thinking": .string(summary)])) }
        events.append(delta(["type": "signature_delta", "signature": .string(signature)]))
        events += close()
        return events
    }

    private mutating func end(_ response: JSONValue, incomplete: Bool) -> [AnthropicEvent] {
        isFinished = true
        let usage = response["usage"]
        let input = usage?["input_tokens"]?.intValue ?? 0
        let cached = usage?["input_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        var fields: [String: JSONValue] = [
            "input_tokens": .int(max(0, input - cached)), "output_tokens": .int(usage?["output_tokens"]?.intValue ?? 0),
        ]
        if cached > 0 { fields["cache_read_input_tokens"] = .int(cached) }
        let reason: String
        switch (incomplete, response["incomplete_details"]?["reason"]?.stringValue) {
        case (true, "content_filter"?): reason = "refusal"
        case (true, _): reason = "max_tokens"
        default: reason = sawToolCall ? "tool_use" : "end_turn"
        }
        return [
            AnthropicEvent(
                "message_delta",
                ["delta": ["stop_reason": .string(reason), "stop_sequence": .null], "usage": .object(fields)]
            ),
            AnthropicEvent("message_stop"),
        ]
    }
}
