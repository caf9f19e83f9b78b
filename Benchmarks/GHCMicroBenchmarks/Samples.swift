import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The inputs the benchmarks measure: what a proxied request carries, built once.
enum Samples {
    /// A small Chat Completions request, as the OpenAI SDK sends it.
    static let smallChat = Array(
        #"{"model":"gpt-4.1","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Say hi"}],"stream":false}"#
            .utf8
    )

    /// Claude Code's captured first request, grown to about 300 KB with a conversation of Read calls and their results
    /// (the shape of `Benchmarks/harness.py`'s Claude Code request: a long session's request).
    static let claudeCode: [UInt8] = {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Tests/GHCTranslationTests/Fixtures/claude-code-2.1.327-first-request.json").path
        guard let data = FileManager.default.contents(atPath: fixture), var body = try? JSONValue.parse(Array(data)).objectValue,
            let first = body["messages"]?.arrayValue?.first
        else { fatalError("cannot read \(fixture)") }
        var words = WordSource()
        var conversation: [JSONValue] = [first]
        var size = JSONWriter.bytes(.object(body)).count
        var turn = 0
        while size < 300_000 {
            let id = JSONValue.string("toolu_bench\(turn)")
            let result = words.text(bytes: 4_000 + (turn * 997) % 4_000)
            conversation.append([
                "role": "assistant",
                "content": [
                    ["type": "text", "text": .string("Reading file \(turn).")],
                    ["type": "tool_use", "id": id, "name": "Read", "input": ["file_path": .string("/work/src/File\(turn).swift")]],
                ],
            ])
            conversation.append(["role": "user", "content": [["type": "tool_result", "tool_use_id": id, "content": .string(result)]]])
            size += result.utf8.count + 300
            turn += 1
        }
        conversation.append(["role": "user", "content": "what changed?"])
        body["messages"] = .array(conversation)
        body["stream"] = true
        return JSONWriter.bytes(.object(body))
    }()

    /// The wire bytes of a streamed Chat Completions answer: a role chunk, `deltas` content chunks, the finish chunk,
    /// the usage chunk and `[DONE]`, as Copilot sends them.
    static func chatStream(deltas: Int) -> [UInt8] {
        var chunks: [JSONValue] = [chatChunk(["role": "assistant", "content": ""])]
        var words = WordSource()
        for _ in 0..<deltas { chunks.append(chatChunk(["content": .string(words.text(bytes: 12))])) }
        chunks.append(chatChunk([:], finish: "stop"))
        chunks.append(["id": "chatcmpl-1", "choices": [], "usage": ["prompt_tokens": 1200, "completion_tokens": 64, "total_tokens": 1264]])
        return sse(chunks.map { (nil, $0) }) + Array("data: [DONE]\n\n".utf8)
    }

    /// The wire bytes of a streamed Responses answer with one message of `deltas` text deltas, as Copilot sends it.
    static func responsesStream(deltas: Int) -> [UInt8] {
        let response: JSONValue = ["id": "resp_1", "status": "in_progress", "model": "gpt-5.5"]
        var events: [JSONValue] = [
            ["type": "response.created", "response": response],
            ["type": "response.output_item.added", "output_index": 0, "item": ["type": "message", "id": "msg_1", "role": "assistant"]],
        ]
        var words = WordSource()
        for _ in 0..<deltas {
            events.append(["type": "response.output_text.delta", "item_id": "msg_1", "delta": .string(words.text(bytes: 12))])
        }
        events.append(["type": "response.output_item.done", "output_index": 0, "item": ["type": "message", "id": "msg_1"]])
        events.append([
            "type": "response.completed",
            "response": ["id": "resp_1", "status": "completed", "usage": ["input_tokens": 1200, "output_tokens": 64]],
        ])
        return sse(events.map { ($0["type"]?.stringValue, $0) })
    }

    /// One Chat Completions chunk with `delta`.
    private static func chatChunk(_ delta: [String: JSONValue], finish: String? = nil) -> JSONValue {
        ["id": "chatcmpl-1", "choices": [["index": 0, "delta": .object(delta), "finish_reason": finish.map(JSONValue.string) ?? .null]]]
    }

    /// Events in server-sent-event framing.
    private static func sse(_ events: [(String?, JSONValue)]) -> [UInt8] {
        events.reduce(into: []) { wire, event in wire += ServerSentEvent.format(event: event.0, data: event.1.jsonString()) }
    }
}

/// Varied words from a fixed seed: text that compresses about as well as prompts do, the same in every run.
struct WordSource {
    /// The generator's state (a 64-bit linear congruential generator).
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// About `bytes` bytes of words of 2 to 10 lowercase letters.
    mutating func text(bytes: Int) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(bytes + 11)
        while output.count < bytes {
            if !output.isEmpty { output.append(UInt8(ascii: " ")) }
            for _ in 0..<(2 + next() % 9) { output.append(UInt8(ascii: "a") + UInt8(next() % 26)) }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The next pseudo-random number.
    private mutating func next() -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int(truncatingIfNeeded: state >> 33)
    }
}
