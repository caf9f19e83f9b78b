import GHCCore

/// The stand-in's answer on Copilot's native `/v1/messages` (Anthropic format): `You said: <last user text>`,
/// `tool_use` blocks when the user's words name tools (see `StandInToolPlan`), a thinking block with a stand-in
/// signature when thinking is on, `max_tokens` and `stop_sequences` honoured, and a refusal when asked to refuse.
struct StandInMessagesReply {
    /// The model named in the request.
    let model: String
    /// The message's id, `msg_standin_<sequence>`.
    let id: String
    /// The thinking text and its stand-in signature, when the request turned thinking on.
    var thinking: (text: String, signature: String)?
    /// The answer text: empty for a refusal, `nil` when tools are called instead.
    var text: String?
    /// The `tool_use` blocks, one per tool the user's words name.
    var tools: [(id: String, name: String, input: JSONValue)] = []
    /// `end_turn`, `tool_use`, `refusal`, `stop_sequence` or `max_tokens`.
    var stopReason = "end_turn"
    /// The stop sequence that cut the text, if one did.
    var stopSequence: String?
    /// Input tokens reported: a quarter of the request body's bytes, at least one.
    let inputTokens: Int

    /// The signature prefix the stand-in issues and insists on when a thinking block comes back.
    static let signaturePrefix = "standin-signature-"

    /// Works out the answer to `request`, whose body was `body`; `sequence` makes the ids unique.
    init(request: JSONValue, body: [UInt8], sequence: Int) {
        model = request["model"]?.stringValue ?? "unknown"
        id = "msg_standin_\(sequence)"
        inputTokens = max(1, body.count / 4)
        let messages = (request["messages"]?.arrayValue ?? []).filter { $0["role"]?.stringValue != "system" }
        let last = messages.last
        let said = StandInToolPlan.ownWords(Self.text(of: last))
        if request["thinking"] != nil {
            thinking = ("Thinking about: \(said)", Self.signaturePrefix + "\(sequence)")
        }
        let lastIsUserTurn =
            last?["role"]?.stringValue == "user"
            && !(last?["content"]?.arrayValue ?? []).contains { $0["type"]?.stringValue == "tool_result" }
        let choice = request["tool_choice"]
        if let offered = request["tools"]?.arrayValue, !offered.isEmpty, lastIsUserTurn, choice?["type"]?.stringValue != "none" {
            let offers = offered.compactMap { tool in
                tool["name"]?.stringValue.map { StandInToolPlan.Offer(name: $0, schema: tool["input_schema"]) }
            }
            let forced =
                choice?["type"]?.stringValue == "tool" ? choice?["name"]?.stringValue : choice?["type"]?.stringValue == "any" ? "*" : nil
            let calls = StandInToolPlan.calls(
                prompt: said,
                offers: offers,
                requestText: String(decoding: body, as: UTF8.self),
                forced: forced
            )
            tools = calls.enumerated().map { index, call in ("toolu_standin_\(sequence)_\(index)", call.name, call.arguments) }
            if !tools.isEmpty {
                stopReason = "tool_use"
                return
            }
        }
        if said.contains("refuse") {
            text = ""
            stopReason = "refusal"
            return
        }
        var reply = "You said: \(said)"
        for stop in request["stop_sequences"]?.arrayValue?.compactMap(\.stringValue) ?? [] {
            if let range = reply.firstRange(of: stop) {
                reply = String(reply[..<range.lowerBound])
                stopReason = "stop_sequence"
                stopSequence = stop
            }
        }
        let words = reply.split(separator: " ", omittingEmptySubsequences: false)
        if let maxTokens = request["max_tokens"]?.intValue, maxTokens < words.count {
            reply = words.prefix(maxTokens).joined(separator: " ")
            stopReason = "max_tokens"
        }
        text = reply
    }

    /// The text of a message: a string, or its text blocks (tool results included) joined.
    static func text(of message: JSONValue?) -> String {
        switch message?["content"] {
        case .string(let text)?: return text
        case .array(let blocks)?:
            return blocks.compactMap { block -> String? in
                switch block["type"]?.stringValue {
                case "text"?: return block["text"]?.stringValue
                case "tool_result"?: return block["content"]?.stringValue ?? text(of: ["content": block["content"] ?? .null])
                default: return nil
                }
            }.joined(separator: " ")
        default: return ""
        }
    }

    private var outputTokens: Int { max(1, (text ?? "").split(separator: " ").count + tools.count * 5) }

    private var blocks: [JSONValue] {
        var blocks: [JSONValue] = []
        if let thinking {
            blocks.append(["type": "thinking", "thinking": .string(thinking.text), "signature": .string(thinking.signature)])
        }
        if let text, !(text.isEmpty && stopReason != "refusal") { blocks.append(["type": "text", "text": .string(text)]) }
        for tool in tools { blocks.append(["type": "tool_use", "id": .string(tool.id), "name": .string(tool.name), "input": tool.input]) }
        return blocks
    }

    /// The whole message.
    var message: JSONValue {
        [
            "id": .string(id), "type": "message", "role": "assistant", "model": .string(model), "content": .array(blocks),
            "stop_reason": .string(stopReason), "stop_sequence": stopSequence.map(JSONValue.string) ?? .null,
            "usage": [
                "input_tokens": .int(inputTokens), "output_tokens": .int(outputTokens), "cache_read_input_tokens": 0,
                "cache_creation_input_tokens": 0,
            ],
        ]
    }

    /// The streamed events, as Anthropic sends them.
    var events: [String] {
        func event(_ type: String, _ fields: [String: JSONValue]) -> String {
            var payload = fields
            payload["type"] = .string(type)
            return "event: \(type)\ndata: \(JSONValue.object(payload).jsonString())\n\n"
        }
        var start = message
        start["content"] = []
        start["stop_reason"] = .null
        start["stop_sequence"] = .null
        start["usage"] = ["input_tokens": .int(inputTokens), "output_tokens": 1]
        var events = [event("message_start", ["message": start]), event("ping", [:])]
        for (index, block) in blocks.enumerated() {
            let blockIndex = JSONValue.int(index)
            switch block["type"]?.stringValue {
            case "thinking"?:
                events.append(
                    event(
                        "content_block_start",
                        ["index": blockIndex, "content_block": ["type": "thinking", "thinking": "", "signature": ""]]
                    )
                )
                events.append(
                    event(
                        "content_block_delta",
                        ["index": blockIndex, "delta": ["type": "thinking_delta", "thinking": block["thinking"] ?? ""]]
                    )
                )
                events.append(
                    event(
                        "content_block_delta",
                        ["index": blockIndex, "delta": ["type": "signature_delta", "signature": block["signature"] ?? ""]]
                    )
                )
            case "text"?:
                events.append(event("content_block_start", ["index": blockIndex, "content_block": ["type": "text", "text": ""]]))
                var words = (block["text"]?.stringValue ?? "").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
                for offset in words.indices.dropLast() { words[offset] += " " }
                for word in words where !word.isEmpty {
                    events.append(
                        event("content_block_delta", ["index": blockIndex, "delta": ["type": "text_delta", "text": .string(word)]])
                    )
                }
            default:
                events.append(
                    event(
                        "content_block_start",
                        [
                            "index": blockIndex,
                            "content_block": ["type": "tool_use", "id": block["id"] ?? "", "name": block["name"] ?? "", "input": [:]],
                        ]
                    )
                )
                let json = (block["input"] ?? .object([:])).jsonString()
                let middle = json.index(json.startIndex, offsetBy: json.count / 2)
                for piece in [String(json[..<middle]), String(json[middle...])] {
                    events.append(
                        event(
                            "content_block_delta",
                            ["index": blockIndex, "delta": ["type": "input_json_delta", "partial_json": .string(piece)]]
                        )
                    )
                }
            }
            events.append(event("content_block_stop", ["index": blockIndex]))
        }
        events.append(
            event(
                "message_delta",
                [
                    "delta": ["stop_reason": .string(stopReason), "stop_sequence": stopSequence.map(JSONValue.string) ?? .null],
                    "usage": ["output_tokens": .int(outputTokens)],
                ]
            )
        )
        events.append(event("message_stop", [:]))
        return events
    }

    /// Why the request must be refused as Anthropic would: a thinking block whose signature the stand-in did not issue.
    static func rejection(for request: JSONValue) -> String? {
        for message in request["messages"]?.arrayValue ?? [] where message["role"]?.stringValue == "assistant" {
            for block in message["content"]?.arrayValue ?? [] where block["type"]?.stringValue == "thinking" {
                if !(block["signature"]?.stringValue ?? "").hasPrefix(signaturePrefix) { return "Invalid `signature` in `thinking` block" }
            }
        }
        return nil
    }
}
