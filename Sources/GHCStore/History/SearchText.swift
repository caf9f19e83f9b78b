import GHCCore

/// The text of a record a person searches for, pulled out of its JSON for the full-text index: the new turn of the
/// prompt (what follows the last assistant turn, with the system prompt on a conversation's first turn), and the
/// answer's text, tool names and tool inputs. Ids, types, signatures and base64 data are left out, and each part is
/// capped so a huge tool result cannot swell the index.
package struct SearchText: Equatable, Sendable {
    /// The new turn of the prompt.
    package var prompt: String
    /// The answer.
    package var answer: String

    /// Most UTF-8 bytes indexed per part.
    static let partLimit = 64 << 10

    /// Keys whose values are not text a person searches for.
    private static let skipped: Set<String> = [
        "id", "type", "role", "cache_control", "signature", "data", "media_type", "tool_use_id", "call_id", "model", "object",
        "stop_reason", "finish_reason", "status", "system_fingerprint", "encrypted_content", "image_url", "usage", "index",
        "service_tier", "logprobs", "created", "created_at",
    ]

    /// Roles and item types that mark an assistant turn.
    private static let assistantMarkers: Set<String> = ["assistant", "function_call", "reasoning", "custom_tool_call"]

    /// The text of a record (its prompt's from `searchPrompt` when the request path took it, else from its body).
    package init(_ record: borrowing RequestRecord) {
        if let searchPrompt = record.searchPrompt {
            prompt = searchPrompt
        } else if let bytes = (record.originalRequestBody ?? record.requestBody)?.contents, let request = try? JSONValue.parse(bytes) {
            prompt = Self.prompt(of: request)
        } else {
            prompt = ""
        }
        var answer = Collector()
        if record.stream {
            for event in record.rawEvents ?? [] {
                guard let json = Self.textMembers(of: event) else { continue }
                Self.collectStreamEvent(json, into: &answer)
                if answer.isFull { break }
            }
        } else if let bytes = record.responseBody?.contents, let response = try? JSONValue.parse(bytes) {
            Self.collectLeaves(response, into: &answer)
        }
        self.answer = answer.text
    }

    /// The indexed text of a request's prompt. The request path takes it from the body it has parsed already
    /// (`RequestRecord.searchPrompt`), so the history's writer does not parse a large body a second time.
    package static func prompt(of request: JSONValue) -> String {
        var collector = Collector()
        collectPrompt(request, into: &collector)
        return collector.text
    }

    /// The turn after the last assistant message (every message on a first turn, with its system prompt).
    private static func collectPrompt(_ request: JSONValue, into collector: inout Collector) {
        let turns = request["messages"]?.arrayValue ?? request["input"]?.arrayValue
        guard let turns else {
            collectLeaves(request["input"] ?? request["prompt"] ?? .null, into: &collector)
            return
        }
        let lastAssistant = turns.lastIndex { turn in
            assistantMarkers.contains(turn["role"]?.stringValue ?? "") || assistantMarkers.contains(turn["type"]?.stringValue ?? "")
        }
        if lastAssistant == nil {
            collectLeaves(request["system"] ?? request["instructions"] ?? .null, into: &collector)
        }
        for turn in turns[((lastAssistant ?? -1) + 1)...] { collectLeaves(turn, into: &collector) }
    }

    /// Every string in a value except those under `skipped` keys.
    private static func collectLeaves(_ value: JSONValue, into collector: inout Collector) {
        guard !collector.isFull else { return }
        switch value {
        case .string(let text): collector.add(text)
        case .array(let items): for item in items { collectLeaves(item, into: &collector) }
        case .object(let object):
            for key in object.keys.sorted() where !skipped.contains(key) { collectLeaves(object[key] ?? .null, into: &collector) }
        default: break
        }
    }

    /// The members of a streamed event that can hold its text (skimmed: ids, models and usage are not parsed), as an
    /// object; `nil` when the event is not a JSON object.
    private static func textMembers(of event: String) -> JSONValue? {
        let bytes = Array(event.utf8)
        guard let ranges = try? JSONParser.skim(bytes, members: streamTextMembers) else { return nil }
        var members: [String: JSONValue] = [:]
        for (name, range) in zip(streamTextMembers, ranges) {
            if let range, let value = try? JSONValue.parse(bytes[range]) { members[name] = value }
        }
        return .object(members)
    }

    /// The members `collectStreamEvent` reads.
    private static let streamTextMembers = ["type", "delta", "content_block", "item", "choices"]

    /// The text of one streamed event of any of the three APIs; deltas are joined without a space so words split
    /// across events come back whole.
    private static func collectStreamEvent(_ event: JSONValue, into collector: inout Collector) {
        let type = event["type"]?.stringValue ?? ""
        if type == "content_block_delta", let delta = event["delta"] {
            for key in ["text", "partial_json", "thinking"] { if let text = delta[key]?.stringValue { collector.join(text) } }
        } else if type == "content_block_start", let block = event["content_block"] {
            collector.add(block["name"]?.stringValue ?? "")
            collector.add(block["text"]?.stringValue ?? "")
        } else if type.hasSuffix(".delta"), type.hasPrefix("response."), let delta = event["delta"]?.stringValue {
            collector.join(delta)
        } else if type == "response.output_item.added" {
            collector.add(event["item"]?["name"]?.stringValue ?? "")
        } else if type.hasSuffix("_stop") || type.hasSuffix(".done") {
            collector.add("")
        }
        for choice in event["choices"]?.arrayValue ?? [] {
            guard let delta = choice["delta"] else { continue }
            for key in ["content", "reasoning_content"] { if let text = delta[key]?.stringValue { collector.join(text) } }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                if let name = call["function"]?["name"]?.stringValue { collector.add(name) }
                collector.join(call["function"]?["arguments"]?.stringValue ?? "")
            }
        }
    }

    /// Text gathered up to `partLimit` bytes.
    private struct Collector {
        private(set) var text = ""

        var isFull: Bool { text.utf8.count >= SearchText.partLimit }

        /// Adds a separate piece.
        mutating func add(_ piece: String) {
            guard !piece.isEmpty || !text.isEmpty else { return }
            if !text.isEmpty, text.utf8.last != 0x20 { text += " " }
            join(piece)
        }

        /// Adds a piece that continues the last one.
        mutating func join(_ piece: String) {
            guard !isFull else { return }
            let room = SearchText.partLimit - text.utf8.count
            text += piece.utf8.count <= room ? piece : String(decoding: piece.utf8.prefix(room), as: UTF8.self)
        }
    }
}
