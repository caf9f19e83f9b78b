import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stand-in's deterministic answer on the Responses API: `You said: <last user text>`, or calls of the function
/// tools the user's words name (see `StandInToolPlan`).
struct StandInResponsesReply {
    /// The model named in the request.
    let model: String
    /// The response's id, `resp_standin_<sequence>`.
    let id: String
    /// The answer text, `nil` when functions are called instead.
    let text: String?
    /// The function calls made instead of text (empty when the answer is text).
    let calls: [(id: String, name: String, arguments: String)]
    /// Input tokens reported: a quarter of the request body's bytes, at least one.
    let inputTokens: Int
    /// The reasoning item's id, summary and stand-in encrypted content, when the request asked for reasoning.
    var reasoning: (id: String, summary: String, encrypted: String)?

    /// The prefix of the `encrypted_content` the stand-in issues and insists on when it comes back.
    static let encryptedPrefix = "standin-encrypted-"

    /// Why the request must be refused, in Copilot's words: reasoning the stand-in did not encrypt.
    static func rejection(for request: JSONValue) -> String? {
        for item in request["input"]?.arrayValue ?? [] where item["type"]?.stringValue == "reasoning" {
            if !(item["encrypted_content"]?.stringValue ?? "").hasPrefix(encryptedPrefix) {
                let id = item["id"]?.stringValue ?? "rs_unknown"
                return
                    "The encrypted content for item \(id) could not be verified. Reason: Encrypted content could not be decrypted or parsed."
            }
        }
        return nil
    }

    /// A stream that fails before any output: `response.created`, `response.failed`, and an `error` event saying
    /// `diagnostic` when there is one.
    static func earlyFailure(sequence: Int, diagnostic: String?) -> [String] {
        let response: JSONValue = ["id": .string("resp_standin_\(sequence)"), "object": "response", "status": "in_progress", "output": []]
        var failed = response
        failed["status"] = "failed"
        failed["error"] = .null
        var events = [
            "event: response.created\ndata: \(JSONValue.object(["type": "response.created", "response": response]).jsonString())\n\n",
            "event: response.failed\ndata: \(JSONValue.object(["type": "response.failed", "response": failed]).jsonString())\n\n",
        ]
        if let diagnostic {
            events.append(
                "event: error\ndata: \(JSONValue.object(["type": "error", "code": "server_error", "message": .string(diagnostic)]).jsonString())\n\n"
            )
        }
        return events
    }

    /// Works out the answer to `request`, whose body was `body`; `sequence` makes the ids unique.
    init(request: JSONValue, body: [UInt8], sequence: Int) {
        model = request["model"]?.stringValue ?? "unknown"
        id = "resp_standin_\(sequence)"
        inputTokens = max(1, body.count / 4)
        let input = request["input"]
        let items = (input?.arrayValue ?? []).filter { !["system", "developer"].contains($0["role"]?.stringValue ?? "") }
        let last = items.last
        let tools = (request["tools"]?.arrayValue ?? []).filter { $0["type"]?.stringValue == "function" }
        let lastIsUser = input?.stringValue != nil || last?["role"]?.stringValue == "user"
        let said: String
        if let string = input?.stringValue {
            said = string
        } else if case .string(let content)? = last?["content"] {
            said = content
        } else if let output = last?["output"]?.stringValue {
            said = output
        } else {
            said = (last?["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: " ")
        }
        let prompt = StandInToolPlan.ownWords(said)
        var planned: [StandInToolPlan.Call] = []
        let choice = request["tool_choice"]
        if lastIsUser, !tools.isEmpty, choice?.stringValue != "none" {
            let offers = tools.compactMap { tool in
                tool["name"]?.stringValue.map { StandInToolPlan.Offer(name: $0, schema: tool["parameters"]) }
            }
            let forced = choice?["name"]?.stringValue ?? (choice?.stringValue == "required" ? "*" : nil)
            planned = StandInToolPlan.calls(
                prompt: prompt,
                offers: offers,
                requestText: String(decoding: body, as: UTF8.self),
                forced: forced
            )
        }
        calls = planned.enumerated().map { index, call in ("call_standin_\(sequence)_\(index)", call.name, call.arguments.jsonString()) }
        text = calls.isEmpty ? "You said: \(prompt)" : nil
        if request["reasoning"] != nil {
            let said = (last?["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: " ")
            reasoning = ("rs_standin_\(sequence)", "Thinking about: \(input?.stringValue ?? said)", Self.encryptedPrefix + "\(sequence)")
        }
    }

    private var outputTokens: Int { max(1, (text ?? calls.map(\.arguments).joined()).split(separator: " ").count) }

    private var messageItem: JSONValue {
        [
            "id": .string("msg_\(id)"), "type": "message", "role": "assistant", "status": "completed",
            "content": [["type": "output_text", "text": .string(text ?? ""), "annotations": []]],
        ]
    }

    private func callItem(_ call: (id: String, name: String, arguments: String), arguments: String) -> JSONValue {
        [
            "id": .string("fc_\(call.id)"), "type": "function_call", "status": "completed", "call_id": .string(call.id),
            "name": .string(call.name), "arguments": .string(arguments),
        ]
    }

    private var reasoningItem: JSONValue? {
        reasoning.map {
            [
                "id": .string($0.id), "type": "reasoning", "encrypted_content": .string($0.encrypted),
                "summary": [["type": "summary_text", "text": .string($0.summary)]],
            ]
        }
    }

    private var outputItems: [JSONValue] {
        (reasoningItem.map { [$0] } ?? []) + (text != nil ? [messageItem] : calls.map { callItem($0, arguments: $0.arguments) })
    }

    /// The whole `response` object.
    func response(status: String = "completed") -> JSONValue {
        [
            "id": .string(id), "object": "response", "created_at": .int(Int(Date().timeIntervalSince1970)), "status": .string(status),
            "model": .string(model),
            "output": status == "completed" ? .array(outputItems) : [], "parallel_tool_calls": true, "tool_choice": "auto", "tools": [],
            "usage": status == "completed"
                ? [
                    "input_tokens": .int(inputTokens), "output_tokens": .int(outputTokens),
                    "total_tokens": .int(inputTokens + outputTokens),
                    "input_tokens_details": ["cached_tokens": 0], "output_tokens_details": ["reasoning_tokens": 0],
                ] : .null,
        ]
    }

    /// The streamed events, each as `event:` plus `data:` text.
    var events: [String] {
        var events: [JSONValue] = [
            ["type": "response.created", "response": response(status: "in_progress")],
            ["type": "response.in_progress", "response": response(status: "in_progress")],
        ]
        if let reasoningItem {
            events.append(["type": "response.output_item.added", "output_index": 0, "item": reasoningItem])
            events.append(["type": "response.output_item.done", "output_index": 0, "item": reasoningItem])
        }
        if let text {
            let item =
                ["id": .string("msg_\(id)"), "type": "message", "role": "assistant", "status": "in_progress", "content": []] as JSONValue
            events.append(["type": "response.output_item.added", "output_index": 0, "item": item])
            events.append([
                "type": "response.content_part.added", "output_index": 0, "content_index": 0, "item_id": .string("msg_\(id)"),
                "part": ["type": "output_text", "text": "", "annotations": []],
            ])
            var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            for index in words.indices.dropLast() { words[index] += " " }
            for word in words {
                events.append([
                    "type": "response.output_text.delta", "output_index": 0, "content_index": 0, "item_id": .string("msg_\(id)"),
                    "delta": .string(word),
                ])
            }
            events.append([
                "type": "response.output_text.done", "output_index": 0, "content_index": 0, "item_id": .string("msg_\(id)"),
                "text": .string(text),
            ])
            events.append(["type": "response.output_item.done", "output_index": 0, "item": messageItem])
        }
        for (index, call) in calls.enumerated() {
            events.append(["type": "response.output_item.added", "output_index": .int(index), "item": callItem(call, arguments: "")])
            let middle = call.arguments.index(call.arguments.startIndex, offsetBy: call.arguments.count / 2)
            for piece in [String(call.arguments[..<middle]), String(call.arguments[middle...])] {
                events.append([
                    "type": "response.function_call_arguments.delta", "output_index": .int(index), "item_id": .string("fc_\(call.id)"),
                    "delta": .string(piece),
                ])
            }
            events.append([
                "type": "response.function_call_arguments.done", "output_index": .int(index), "item_id": .string("fc_\(call.id)"),
                "arguments": .string(call.arguments),
            ])
            events.append([
                "type": "response.output_item.done", "output_index": .int(index), "item": callItem(call, arguments: call.arguments),
            ])
        }
        events.append(["type": "response.completed", "response": response()])
        return events.enumerated().map { offset, event in
            var numbered = event
            numbered["sequence_number"] = .int(offset)
            return "event: \(event["type"]?.stringValue ?? "")\ndata: \(numbered.jsonString())\n\n"
        }
    }
}
