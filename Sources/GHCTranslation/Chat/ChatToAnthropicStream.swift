import GHCCore

/// The state machine that turns OpenAI Chat Completions chunks into Anthropic's exact event grammar:
/// `message_start`, `ping`, then per block `content_block_start`, deltas, `content_block_stop` (indexes
/// contiguous, one block open at a time), then `message_delta` and `message_stop`.
///
/// Copilot's extensions become thinking: `reasoning_text` streams as `thinking_delta`, `reasoning_opaque` as
/// the block's `signature_delta`. Tool calls may announce their id and name in separate chunks and send
/// arguments before both are known; arguments are held until the block can start. Stop sequences are enforced
/// here: text that could still grow into one is held back, and a match ends the message with
/// `stop_reason: stop_sequence` and the matched sequence.
package struct ChatToAnthropicStream: Sendable {
    private enum OpenBlock: Equatable {
        case text, thinking
        case tool(Int)
    }

    private struct ToolCall {
        var id: String?
        var name: String?
        var pendingArguments = ""
        var blockIndex: Int?
    }

    private let model: String
    private let stopSequences: [String]
    private var started = false
    private var messageID = "msg_ghc"
    private var open: OpenBlock?
    private var nextIndex = 0
    private var tools: [Int: ToolCall] = [:]
    private var emittedToolUse = false
    private var finishReason: String?
    private var usage: JSONValue?
    private var heldText = ""
    /// Whether `message_stop` was sent; the caller stops reading upstream then.
    package private(set) var isFinished = false

    /// Creates a translator answering as `model` (the client's name for it).
    package init(model: String, stopSequences: [String] = []) {
        self.model = model
        self.stopSequences = stopSequences.filter { !$0.isEmpty }
    }

    /// Translates one chunk.
    package mutating func consume(_ chunk: JSONValue) -> [AnthropicEvent] {
        guard !isFinished else { return [] }
        var events: [AnthropicEvent] = []
        if !started { events += start(chunk) }
        if let chunkUsage = chunk["usage"], chunkUsage != .null { usage = chunkUsage }
        for choice in chunk["choices"]?.arrayValue ?? [] {
            let delta = choice["delta"] ?? choice["message"] ?? .object([:])
            let reasoning = delta["reasoning_text"]?.stringValue ?? delta["reasoning_content"]?.stringValue ?? ""
            if !reasoning.isEmpty { events += thinking(reasoning) }
            if let signature = delta["reasoning_opaque"]?.stringValue, !signature.isEmpty { events += sign(signature) }
            if let text = delta["content"]?.stringValue, !text.isEmpty {
                events += self.text(text)
                if isFinished { return events }
            }
            for call in delta["tool_calls"]?.arrayValue ?? [] { events += toolCall(call) }
            if let reason = choice["finish_reason"]?.stringValue { finishReason = reason }
        }
        return events
    }

    /// Ends the stream with an error event (the upstream reported a failure or broke its protocol); no
    /// `message_stop` follows.
    package mutating func fail(_ message: String) -> [AnthropicEvent] {
        guard !isFinished else { return [] }
        isFinished = true
        return [AnthropicEvent.error(message: message)]
    }

    /// Ends the message after the upstream's last chunk. Without a finish reason the stream was cut short:
    /// the answer is an error event and no `message_stop`.
    package mutating func finish() -> [AnthropicEvent] {
        guard !isFinished else { return [] }
        guard finishReason != nil else { return fail("the upstream stream ended before the answer was complete") }
        var events = started ? [] : start(.object([:]))
        events += flushHeldText(final: true)
        events += closeOpenBlock()
        let reason: String
        switch finishReason {
        case "length"?: reason = "max_tokens"
        case "tool_calls"?, "function_call"?: reason = "tool_use"
        case "content_filter"?: reason = "refusal"
        default: reason = emittedToolUse ? "tool_use" : "end_turn"
        }
        events += end(reason: reason, sequence: nil)
        return events
    }

    private mutating func start(_ chunk: JSONValue) -> [AnthropicEvent] {
        started = true
        if let id = chunk["id"]?.stringValue, !id.isEmpty { messageID = id.hasPrefix("msg_") ? id : "msg_" + id }
        let message: JSONValue = [
            "id": .string(messageID), "type": "message", "role": "assistant", "content": [], "model": .string(model),
            "stop_reason": .null, "stop_sequence": .null, "usage": ["input_tokens": 0, "output_tokens": 0],
        ]
        return [AnthropicEvent("message_start", ["message": message]), AnthropicEvent("ping")]
    }

    private mutating func open(_ block: OpenBlock, _ content: JSONValue) -> [AnthropicEvent] {
        var events = closeOpenBlock()
        open = block
        events.append(AnthropicEvent("content_block_start", ["index": .int(nextIndex), "content_block": content]))
        return events
    }

    private mutating func closeOpenBlock() -> [AnthropicEvent] {
        guard open != nil else { return [] }
        var events: [AnthropicEvent] = []
        if open == .text { events += flushHeldText(final: true) }
        events.append(AnthropicEvent("content_block_stop", ["index": .int(nextIndex)]))
        open = nil
        nextIndex += 1
        return events
    }

    private mutating func thinking(_ text: String) -> [AnthropicEvent] {
        var events: [AnthropicEvent] = []
        if open != .thinking { events += open(.thinking, ["type": "thinking", "thinking": "", "signature": ""]) }
        events.append(
            AnthropicEvent(
                "content_block_delta",
                ["index": .int(nextIndex), "delta": ["type": "thinking_delta", "thinking": .string(text)]]
            )
        )
        return events
    }

    private mutating func sign(_ signature: String) -> [AnthropicEvent] {
        var events: [AnthropicEvent] = []
        if open != .thinking { events += open(.thinking, ["type": "thinking", "thinking": "", "signature": ""]) }
        events.append(
            AnthropicEvent(
                "content_block_delta",
                ["index": .int(nextIndex), "delta": ["type": "signature_delta", "signature": .string(signature)]]
            )
        )
        events += closeOpenBlock()
        return events
    }

    private mutating func text(_ text: String) -> [AnthropicEvent] {
        var events: [AnthropicEvent] = []
        if open != .text { events += open(.text, ["type": "text", "text": ""]) }
        heldText += text
        events += flushHeldText(final: false)
        return events
    }

    /// Emits held text, keeping back a tail that could still become a stop sequence; ends the message on a match.
    private mutating func flushHeldText(final: Bool) -> [AnthropicEvent] {
        guard !heldText.isEmpty else { return [] }
        if let (range, sequence) = earliestStop(in: heldText) {
            let before = String(heldText[..<range.lowerBound])
            heldText = ""
            var events = before.isEmpty ? [] : [textDelta(before)]
            events.append(AnthropicEvent("content_block_stop", ["index": .int(nextIndex)]))
            open = nil
            nextIndex += 1
            events += end(reason: "stop_sequence", sequence: sequence)
            return events
        }
        let keep = final ? 0 : max(0, (stopSequences.map(\.count).max() ?? 0) - 1)
        guard heldText.count > keep else { return [] }
        let cut = heldText.index(heldText.endIndex, offsetBy: -keep)
        let emitted = String(heldText[..<cut])
        heldText = String(heldText[cut...])
        return [textDelta(emitted)]
    }

    private func earliestStop(in text: String) -> (Range<String.Index>, String)? {
        var best: (Range<String.Index>, String)?
        for sequence in stopSequences {
            if let range = text.firstRange(of: sequence), best == nil || range.lowerBound < (best?.0.lowerBound ?? text.endIndex) {
                best = (range, sequence)
            }
        }
        return best
    }

    private func textDelta(_ text: String) -> AnthropicEvent {
        AnthropicEvent("content_block_delta", ["index": .int(nextIndex), "delta": ["type": "text_delta", "text": .string(text)]])
    }

    private mutating func toolCall(_ call: JSONValue) -> [AnthropicEvent] {
        let index = call["index"]?.intValue ?? 0
        var state = tools[index] ?? ToolCall()
        if let id = call["id"]?.stringValue, !id.isEmpty { state.id = id }
        if let name = call["function"]?["name"]?.stringValue, !name.isEmpty { state.name = name }
        state.pendingArguments += call["function"]?["arguments"]?.stringValue ?? ""
        var events: [AnthropicEvent] = []
        if state.blockIndex == nil, let id = state.id, let name = state.name {
            events += open(.tool(index), ["type": "tool_use", "id": .string(id), "name": .string(name), "input": .object([:])])
            state.blockIndex = nextIndex
            emittedToolUse = true
        }
        if let blockIndex = state.blockIndex, !state.pendingArguments.isEmpty {
            if open != .tool(index) {
                // Arguments for a call whose block is closed: Anthropic allows no going back, so they open nothing new.
                state.pendingArguments = ""
            } else {
                events.append(
                    AnthropicEvent(
                        "content_block_delta",
                        [
                            "index": .int(blockIndex),
                            "delta": ["type": "input_json_delta", "partial_json": .string(state.pendingArguments)],
                        ]
                    )
                )
                state.pendingArguments = ""
            }
        }
        tools[index] = state
        return events
    }

    private mutating func end(reason: String, sequence: String?) -> [AnthropicEvent] {
        isFinished = true
        let prompt = usage?["prompt_tokens"]?.intValue ?? 0
        let cached = usage?["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
        var usageFields: [String: JSONValue] = [
            "input_tokens": .int(max(0, prompt - cached)), "output_tokens": .int(usage?["completion_tokens"]?.intValue ?? 0),
        ]
        if cached > 0 { usageFields["cache_read_input_tokens"] = .int(cached) }
        return [
            AnthropicEvent(
                "message_delta",
                [
                    "delta": ["stop_reason": .string(reason), "stop_sequence": sequence.map(JSONValue.string) ?? .null],
                    "usage": .object(usageFields),
                ]
            ),
            AnthropicEvent("message_stop"),
        ]
    }
}
