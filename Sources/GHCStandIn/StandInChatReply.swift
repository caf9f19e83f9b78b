import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The stand-in's deterministic chat answer to an OpenAI Chat Completions request.
///
/// Text: `You said: <last user text>` (and `I see N image(s).` when images came along). When the user's words name
/// offered tools (see `StandInToolPlan`), it calls them instead, in parallel.
struct StandInChatReply {
    /// The model named in the request.
    let model: String
    /// The answer text: empty when the user's text contains `refuse`, `nil` when tools are called instead.
    var text: String?
    /// The reasoning text and opaque token, when the request set `thinking_budget`.
    var reasoning: (text: String, opaque: String)?
    /// Whether the text was cut to the request's token limit.
    var truncated = false
    /// The tool calls made instead of text (empty when the answer is text).
    let toolCalls: [(id: String, name: String, arguments: String)]
    /// Prompt tokens reported: a quarter of the request body's bytes, at least one.
    let promptTokens: Int
    /// Completion tokens reported: the words of the text (or of the tool arguments), at least one.
    let completionTokens: Int
    /// The completion's id, `chatcmpl-standin-<sequence>`.
    let id: String

    /// Works out the answer to `request`, whose body was `body`; `sequence` makes the ids unique.
    init(request: JSONValue, body: [UInt8], sequence: Int) {
        model = request["model"]?.stringValue ?? "unknown"
        id = "chatcmpl-standin-\(sequence)"
        let messages = (request["messages"]?.arrayValue ?? []).filter { !["system", "developer"].contains($0["role"]?.stringValue ?? "") }
        let last = messages.last
        let tools = request["tools"]?.arrayValue ?? []
        var calls: [StandInToolPlan.Call] = []
        let choice = request["tool_choice"]
        if last?["role"]?.stringValue == "user", !tools.isEmpty, choice?.stringValue != "none" {
            let offers = tools.compactMap { tool in
                tool["function"]?["name"]?.stringValue.map { StandInToolPlan.Offer(name: $0, schema: tool["function"]?["parameters"]) }
            }
            let forced = choice?["function"]?["name"]?.stringValue ?? (choice?.stringValue == "required" ? "*" : nil)
            let prompt = StandInToolPlan.ownWords(Self.userText(last).0)
            calls = StandInToolPlan.calls(
                prompt: prompt,
                offers: offers,
                requestText: String(decoding: body, as: UTF8.self),
                forced: forced
            )
        }
        if !calls.isEmpty {
            toolCalls = calls.enumerated().map { index, call in
                ("call_standin_\(sequence)_\(index)", call.name, call.arguments.jsonString())
            }
            text = nil
        } else {
            toolCalls = []
            let (lastText, images) = Self.userText(last)
            let said = StandInToolPlan.ownWords(lastText)
            var reply = "You said: \(said)"
            if images > 0 { reply += " I see \(images) image(s)." }
            let words = reply.split(separator: " ", omittingEmptySubsequences: false)
            if let limit = (request["max_completion_tokens"] ?? request["max_tokens"])?.intValue, limit < words.count {
                reply = words.prefix(limit).joined(separator: " ")
                truncated = true
            }
            text = said.contains("refuse") ? "" : reply
        }
        if request["thinking_budget"] != nil {
            reasoning = ("Thinking about: \(Self.userText(last).0)", Self.opaquePrefix + "\(sequence)")
        }
        promptTokens = max(1, body.count / 4)
        completionTokens = max(1, (text ?? toolCalls.map(\.arguments).joined()).split(separator: " ").count)
    }

    /// The prefix of the `reasoning_opaque` values the stand-in issues and insists on when they come back.
    static let opaquePrefix = "standin-opaque-"

    /// `tool_calls`, `content_filter` (empty text), `length` (truncated) or `stop`.
    var finishReason: String {
        if !toolCalls.isEmpty { return "tool_calls" }
        if text == "" { return "content_filter" }
        return truncated ? "length" : "stop"
    }

    /// Why the request must be refused: an assistant `reasoning_opaque` the stand-in did not issue.
    static func rejection(for request: JSONValue) -> String? {
        for message in request["messages"]?.arrayValue ?? [] where message["role"]?.stringValue == "assistant" {
            if let opaque = message["reasoning_opaque"]?.stringValue, !opaque.hasPrefix(opaquePrefix) { return "invalid reasoning_opaque" }
        }
        return nil
    }

    /// The `usage` object of the answer.
    var usage: JSONValue {
        [
            "prompt_tokens": .int(promptTokens), "completion_tokens": .int(completionTokens),
            "total_tokens": .int(promptTokens + completionTokens),
            "prompt_tokens_details": ["cached_tokens": 0],
        ]
    }

    /// The whole `chat.completion` object.
    var completion: JSONValue {
        var message: [String: JSONValue] = ["role": "assistant", "content": text.map(JSONValue.string) ?? .null]
        if let reasoning {
            message["reasoning_text"] = .string(reasoning.text)
            message["reasoning_opaque"] = .string(reasoning.opaque)
        }
        if !toolCalls.isEmpty {
            message["tool_calls"] = .array(
                toolCalls.map { call in
                    [
                        "id": .string(call.id), "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                    ]
                }
            )
        }
        return [
            "id": .string(id), "object": "chat.completion", "created": .int(Int(Date().timeIntervalSince1970)), "model": .string(model),
            "choices": [["index": 0, "message": .object(message), "finish_reason": .string(finishReason)]],
            "usage": usage,
        ]
    }

    /// The `chat.completion.chunk` objects of the streamed answer, without `[DONE]`.
    var chunks: [JSONValue] {
        var deltas: [JSONValue] = [["role": "assistant", "content": ""]]
        if let reasoning {
            deltas.append(["reasoning_text": .string(reasoning.text)])
            deltas.append(["reasoning_opaque": .string(reasoning.opaque)])
        }
        if let text, !text.isEmpty {
            var words = text.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            for index in words.indices.dropLast() { words[index] += " " }
            deltas += words.map { ["content": .string($0)] }
        }
        for (index, call) in toolCalls.enumerated() {
            deltas.append([
                "tool_calls": [
                    [
                        "index": .int(index), "id": .string(call.id), "type": "function",
                        "function": ["name": .string(call.name), "arguments": ""],
                    ]
                ]
            ])
            let middle = call.arguments.index(call.arguments.startIndex, offsetBy: call.arguments.count / 2)
            for piece in [String(call.arguments[..<middle]), String(call.arguments[middle...])] {
                deltas.append(["tool_calls": [["index": .int(index), "function": ["arguments": .string(piece)]]]])
            }
        }
        let created = JSONValue.int(Int(Date().timeIntervalSince1970))
        func chunk(_ delta: JSONValue, finish: JSONValue = .null) -> JSONValue {
            [
                "id": .string(id), "object": "chat.completion.chunk", "created": created, "model": .string(model),
                "choices": [["index": 0, "delta": delta, "finish_reason": finish]],
            ]
        }
        var result = deltas.map { chunk($0) }
        result.append(chunk([:], finish: .string(finishReason)))
        result.append([
            "id": .string(id), "object": "chat.completion.chunk", "created": created, "model": .string(model), "choices": [],
            "usage": usage,
        ])
        return result
    }

    /// The text of the last user message and how many images it carried.
    private static func userText(_ message: JSONValue?) -> (String, Int) {
        switch message?["content"] {
        case .string(let text)?: return (text, 0)
        case .array(let parts)?:
            let text = parts.compactMap { $0["type"]?.stringValue == "text" ? $0["text"]?.stringValue : nil }.joined(separator: " ")
            return (text, parts.filter { $0["type"]?.stringValue == "image_url" }.count)
        default: return ("", 0)
        }
    }
}
