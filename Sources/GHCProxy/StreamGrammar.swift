import GHCCore
import GHCStore
import GHCTranslation

/// What a relay does with one upstream event.
enum StreamVerdict: Equatable {
    /// Pass it on and keep going.
    case forward
    /// Pass it on; the stream is complete.
    case finish
    /// Do not pass it on: it is broken. The stream ends with an error event.
    case malformed(String)
}

/// The rules of one streaming dialect: which events are valid, which ends the stream, and how an error
/// is told to the client once the response has started.
protocol StreamGrammar: Sendable {
    /// Judges one upstream event.
    mutating func inspect(_ event: ServerSentEvent) -> StreamVerdict
    /// The event that tells the client the stream failed.
    func errorEvent(message: String, code: String) -> [UInt8]
    /// Token usage seen so far.
    var usage: TokenUsage { get }
}

/// OpenAI Chat Completions: `data: {chunk}` events ending with `data: [DONE]`; an `error` object ends it too.
struct ChatCompletionsGrammar: StreamGrammar {
    private(set) var usage = TokenUsage()
    /// The members of a chunk the grammar reads.
    private static let members = ["usage", "error"]

    /// Forwards comments and chunks, finishes on `[DONE]` or an `error` object, notes usage, and refuses data that is not JSON.
    /// A chunk is skimmed, not parsed: only a `usage` member is read.
    mutating func inspect(_ event: ServerSentEvent) -> StreamVerdict {
        if event.isComment { return .forward }
        let data = event.data
        if data == "[DONE]" { return .finish }
        guard let ranges = try? JSONParser.skim(data, members: Self.members) else {
            return .malformed("upstream sent an event that is not JSON: \(data.prefix(80))")
        }
        if ranges[0] != nil { UsageExtraction.merge(document: Array(data.utf8), into: &usage) }
        return ranges[1] != nil ? .finish : .forward
    }

    /// A `data:` event with an OpenAI `error` object.
    func errorEvent(message: String, code: String) -> [UInt8] {
        ServerSentEvent.format(
            data: JSONWriter.bytes(["error": ["message": .string(message), "type": "upstream_error", "code": .string(code)]]).utf8String
        )
    }
}

/// OpenAI Responses: named events ending with `response.completed`, `response.failed`, `response.incomplete` or `error`.
struct ResponsesGrammar: StreamGrammar {
    /// The event types that end a Responses stream.
    static let terminal: Set<String> = ["response.completed", "response.failed", "response.incomplete", "error"]
    private(set) var usage = TokenUsage()

    /// Forwards events until a terminal type (or `[DONE]`), taking usage from the terminal event.
    mutating func inspect(_ event: ServerSentEvent) -> StreamVerdict {
        if event.isComment { return .forward }
        if event.data == "[DONE]" { return .finish }
        guard let type = eventType(event) else {
            return .malformed("upstream sent an event that is not JSON: \(event.data.prefix(80))")
        }
        if Self.terminal.contains(type) {
            UsageExtraction.merge(document: Array(event.data.utf8), into: &usage)
            return .finish
        }
        return .forward
    }

    /// A Responses `error` event.
    func errorEvent(message: String, code: String) -> [UInt8] {
        ServerSentEvent.format(
            event: "error",
            data: JSONWriter.bytes(["type": "error", "code": .string(code), "message": .string(message), "param": .null]).utf8String
        )
    }
}

extension StreamGrammar {
    /// The type of a named event: its `event:` field, else its data's `type` member (`""` without either); `nil` when
    /// its data is not a JSON object. The data is skimmed, not parsed.
    func eventType(_ event: ServerSentEvent) -> String? {
        guard let ranges = try? JSONParser.skim(event.data, members: event.event == nil ? typeMember : []) else { return nil }
        if let type = event.event { return type }
        guard let range = ranges[0] else { return "" }
        return (try? JSONValue.parse(Array(event.data.utf8)[range]))?.stringValue ?? ""
    }
}

/// The member a named event's type is read from when it has no `event:` field.
private let typeMember = ["type"]

extension [UInt8] {
    /// The bytes as UTF-8 text.
    var utf8String: String { String(decoding: self, as: UTF8.self) }
}

/// Anthropic Messages: named events ending with `message_stop`; an `error` event ends it too.
struct AnthropicGrammar: StreamGrammar {
    private(set) var usage = TokenUsage()

    /// Forwards events until `message_stop` or `error`, taking usage from `message_start` and `message_delta`.
    mutating func inspect(_ event: ServerSentEvent) -> StreamVerdict {
        if event.isComment { return .forward }
        guard let type = eventType(event) else {
            return .malformed("upstream sent an event that is not JSON: \(event.data.prefix(80))")
        }
        if type == "message_start" || type == "message_delta" { UsageExtraction.merge(document: Array(event.data.utf8), into: &usage) }
        return type == "message_stop" || type == "error" ? .finish : .forward
    }

    /// An Anthropic `error` event.
    func errorEvent(message: String, code: String) -> [UInt8] {
        AnthropicEvent.error(message: message).bytes
    }
}
