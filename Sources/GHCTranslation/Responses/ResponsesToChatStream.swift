import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Responses API stream events → Chat Completions chunks, for `/v1/chat/completions` on Responses-only models.
package struct ResponsesToChatStream: Sendable {
    private let model: String
    private let id: String
    private let created = Int(Date().timeIntervalSince1970)
    private var sentRole = false
    private var toolIndexes: [String: Int] = [:]
    /// Whether the terminal event was seen (normally or failed).
    package private(set) var isFinished = false
    /// Whether the stream ended in failure.
    package private(set) var failure: String?

    /// Creates a translator answering as `model`.
    package init(model: String, id: String) {
        self.model = model
        self.id = id
    }

    /// Translates one Responses event into chunks.
    package mutating func consume(_ event: JSONValue) -> [JSONValue] {
        guard !isFinished else { return [] }
        switch event["type"]?.stringValue {
        case "response.output_text.delta"?:
            return roleChunk() + [chunk(["content": event["delta"] ?? ""])]
        case "response.output_item.added"? where event["item"]?["type"]?.stringValue == "function_call":
            let item = event["item"] ?? .object([:])
            let index = toolIndexes.count
            toolIndexes[item["id"]?.stringValue ?? "\(index)"] = index
            return roleChunk() + [
                chunk([
                    "tool_calls": [
                        [
                            "index": .int(index), "id": item["call_id"] ?? "", "type": "function",
                            "function": ["name": item["name"] ?? "", "arguments": ""],
                        ]
                    ]
                ])
            ]
        case "response.function_call_arguments.delta"?:
            let index = toolIndexes[event["item_id"]?.stringValue ?? ""] ?? max(0, toolIndexes.count - 1)
            return [chunk(["tool_calls": [["index": .int(index), "function": ["arguments": event["delta"] ?? ""]]]])]
        case "response.completed"?, "response.incomplete"?:
            isFinished = true
            let response = event["response"] ?? .object([:])
            let reason = event["type"]?.stringValue == "response.incomplete" ? "length" : (toolIndexes.isEmpty ? "stop" : "tool_calls")
            let usage = response["usage"]
            let input = usage?["input_tokens"]?.intValue ?? 0
            let output = usage?["output_tokens"]?.intValue ?? 0
            var final = chunk([:], finish: reason)
            final["usage"] = [
                "prompt_tokens": .int(input), "completion_tokens": .int(output), "total_tokens": .int(input + output),
                "prompt_tokens_details": ["cached_tokens": .int(usage?["input_tokens_details"]?["cached_tokens"]?.intValue ?? 0)],
            ]
            return roleChunk() + [final]
        case "response.failed"?, "error"?:
            isFinished = true
            failure =
                event["response"]?["error"]?["message"]?.stringValue ?? event["message"]?.stringValue
                ?? "the upstream Responses stream failed"
            return []
        default:
            return []
        }
    }

    private mutating func roleChunk() -> [JSONValue] {
        guard !sentRole else { return [] }
        sentRole = true
        return [chunk(["role": "assistant", "content": ""])]
    }

    private func chunk(_ delta: JSONValue, finish: String? = nil) -> JSONValue {
        [
            "id": .string(id), "object": "chat.completion.chunk", "created": .int(created), "model": .string(model),
            "choices": [["index": 0, "delta": delta, "finish_reason": finish.map(JSONValue.string) ?? .null]],
        ]
    }
}

/// Folds Chat Completions chunks into the `chat.completion` a non-streaming call returns.
package struct ChatCompletionBuilder: Sendable {
    private var id = ""
    private var model = ""
    private var created = 0
    private var content = ""
    private var hasContent = false
    private var calls: [Int: (id: String, name: String, arguments: String)] = [:]
    private var finishReason: JSONValue = .null
    private var usage: JSONValue = .null

    /// Creates an empty builder.
    package init() {}

    /// Applies one chunk.
    package mutating func apply(_ chunk: JSONValue) {
        id = chunk["id"]?.stringValue ?? id
        model = chunk["model"]?.stringValue ?? model
        created = chunk["created"]?.intValue ?? created
        if let value = chunk["usage"], value != .null { usage = value }
        for choice in chunk["choices"]?.arrayValue ?? [] {
            let delta = choice["delta"] ?? .object([:])
            if let text = delta["content"]?.stringValue {
                content += text
                hasContent = hasContent || !text.isEmpty
            }
            for call in delta["tool_calls"]?.arrayValue ?? [] {
                let index = call["index"]?.intValue ?? 0
                var entry = calls[index] ?? ("", "", "")
                if let value = call["id"]?.stringValue, !value.isEmpty { entry.id = value }
                if let value = call["function"]?["name"]?.stringValue, !value.isEmpty { entry.name = value }
                entry.arguments += call["function"]?["arguments"]?.stringValue ?? ""
                calls[index] = entry
            }
            if let reason = choice["finish_reason"], reason != .null { finishReason = reason }
        }
    }

    /// The completion.
    package var result: JSONValue {
        var message: [String: JSONValue] = ["role": "assistant", "content": hasContent || calls.isEmpty ? .string(content) : .null]
        if !calls.isEmpty {
            message["tool_calls"] = .array(
                calls.keys.sorted().compactMap { calls[$0] }.map { call in
                    [
                        "id": .string(call.id), "type": "function",
                        "function": ["name": .string(call.name), "arguments": .string(call.arguments)],
                    ]
                }
            )
        }
        return [
            "id": .string(id), "object": "chat.completion", "created": .int(created), "model": .string(model),
            "choices": [["index": 0, "message": .object(message), "finish_reason": finishReason]], "usage": usage,
        ]
    }
}
