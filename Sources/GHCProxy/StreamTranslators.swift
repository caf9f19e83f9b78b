import GHCCore
import GHCTranslation

/// Translates an upstream event stream into the client's dialect, item by item.
protocol StreamTranslator: Sendable {
    /// What the client receives: an Anthropic event or a chat chunk.
    associatedtype Item: Sendable
    /// Items for one upstream event.
    mutating func translate(_ event: ServerSentEvent) -> [Item]
    /// Items at the end of the upstream stream.
    mutating func finish() -> [Item]
    /// Whether the translated answer is complete (the upstream need not be read further).
    var isFinished: Bool { get }
    /// The item that tells the client the stream failed.
    func failure(_ message: String) -> Item
    /// The wire form of an item.
    func render(_ item: Item) -> [UInt8]
    /// The JSON of an item that may carry usage.
    func usagePayload(_ item: Item) -> JSONValue?
    /// The message of an item that tells the client the stream failed, `nil` for any other item.
    func failureMessage(_ item: Item) -> String?
}

extension StreamTranslator where Item == AnthropicEvent {
    /// Anthropic events carry usage in `message_start` and `message_delta`.
    func usagePayload(_ item: AnthropicEvent) -> JSONValue? {
        item.type == "message_delta" || item.type == "message_start" ? item.data : nil
    }

    /// The message of an `error` event.
    func failureMessage(_ item: AnthropicEvent) -> String? {
        item.type == "error" ? item.data["error"]?["message"]?.stringValue ?? "the stream failed" : nil
    }
}

/// OpenAI chat chunks from Copilot → Anthropic events.
struct ChatToAnthropicTranslator: StreamTranslator {
    /// The state machine that does the translating.
    var machine: ChatToAnthropicStream

    /// Events for one chat chunk; `[DONE]` closes the message, and a bad chunk or an `error` object fails it.
    mutating func translate(_ event: ServerSentEvent) -> [AnthropicEvent] {
        if event.isComment { return [] }
        if event.data == "[DONE]" { return machine.finish() }
        guard let chunk = try? JSONValue.parse(Array(event.data.utf8)) else {
            return machine.fail("upstream sent an event that is not JSON")
        }
        if let error = chunk["error"] { return machine.fail(error["message"]?.stringValue ?? error.jsonString()) }
        return machine.consume(chunk)
    }

    /// The events that close the message.
    mutating func finish() -> [AnthropicEvent] { machine.finish() }
    /// Whether the message is complete.
    var isFinished: Bool { machine.isFinished }
    /// An Anthropic `error` event with `message`.
    func failure(_ message: String) -> AnthropicEvent { AnthropicEvent.error(message: message) }
    /// The event's wire bytes.
    func render(_ item: AnthropicEvent) -> [UInt8] { item.bytes }
}

/// Responses events from Copilot → Anthropic events.
struct ResponsesToAnthropicTranslator: StreamTranslator {
    /// The state machine that does the translating.
    var machine: ResponsesToAnthropicStream

    /// Events for one Responses event; comments and `[DONE]` give none, and a bad event becomes an error.
    mutating func translate(_ event: ServerSentEvent) -> [AnthropicEvent] {
        guard !event.isComment, event.data != "[DONE]" else { return [] }
        guard let payload = try? JSONValue.parse(Array(event.data.utf8)) else {
            return machine.consume(["type": "error", "message": "upstream sent an event that is not JSON"])
        }
        return machine.consume(payload)
    }

    /// The events that close the message.
    mutating func finish() -> [AnthropicEvent] { machine.finish() }
    /// Whether the message is complete.
    var isFinished: Bool { machine.isFinished }
    /// An Anthropic `error` event with `message`.
    func failure(_ message: String) -> AnthropicEvent { AnthropicEvent.error(message: message) }
    /// The event's wire bytes.
    func render(_ item: AnthropicEvent) -> [UInt8] { item.bytes }
}

/// One item of a translated chat stream.
enum ChatStreamItem: Sendable {
    /// A `chat.completion.chunk`.
    case chunk(JSONValue)
    /// The final `[DONE]`.
    case done
    /// An error that ends the stream.
    case error(String)
}

/// Responses events from Copilot → Chat Completions chunks.
struct ResponsesToChatTranslator: StreamTranslator {
    /// The state machine that does the translating.
    var machine: ResponsesToChatStream

    /// Chunks for one Responses event, then `[DONE]` or the error once the answer is complete.
    mutating func translate(_ event: ServerSentEvent) -> [ChatStreamItem] {
        guard !event.isComment, event.data != "[DONE]" else { return [] }
        guard let payload = try? JSONValue.parse(Array(event.data.utf8)) else {
            return machine.isFinished ? [] : consumeFailure("upstream sent an event that is not JSON")
        }
        var items = machine.consume(payload).map(ChatStreamItem.chunk)
        if machine.isFinished { items.append(machine.failure.map(ChatStreamItem.error) ?? .done) }
        return items
    }

    private mutating func consumeFailure(_ message: String) -> [ChatStreamItem] {
        _ = machine.consume(["type": "error", "message": .string(message)])
        return [.error(message)]
    }

    /// Nothing if the answer is complete, else an error: the stream ended too early.
    mutating func finish() -> [ChatStreamItem] {
        machine.isFinished ? [] : consumeFailure("the upstream stream ended before the answer was complete")
    }

    /// Whether the answer is complete.
    var isFinished: Bool { machine.isFinished }
    /// An error item with `message`.
    func failure(_ message: String) -> ChatStreamItem { .error(message) }

    /// The message of an error item.
    func failureMessage(_ item: ChatStreamItem) -> String? {
        if case .error(let message) = item { return message }
        return nil
    }

    /// The chunk, when it carries `usage`.
    func usagePayload(_ item: ChatStreamItem) -> JSONValue? {
        if case .chunk(let chunk) = item, chunk["usage"] != nil { return chunk }
        return nil
    }

    /// The item as a `data:` event: the chunk, `[DONE]`, or an OpenAI error.
    func render(_ item: ChatStreamItem) -> [UInt8] {
        switch item {
        case .chunk(let chunk): return Array("data: ".utf8) + JSONWriter.bytes(chunk) + [0x0A, 0x0A]
        case .done: return Array("data: [DONE]\n\n".utf8)
        case .error(let message):
            return ChatCompletionsGrammar().errorEvent(message: message, code: "upstream_stream_failed")
        }
    }
}
