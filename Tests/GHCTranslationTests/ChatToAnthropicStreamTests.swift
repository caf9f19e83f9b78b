import GHCCore
import GHCTranslation
import Testing

@Suite struct ChatToAnthropicStreamTests {
    static func chunk(_ delta: JSONValue, finish: String? = nil, usage: JSONValue? = nil) -> JSONValue {
        var chunk: [String: JSONValue] = [
            "id": "c1", "choices": [["index": 0, "delta": delta, "finish_reason": finish.map(JSONValue.string) ?? .null]],
        ]
        if let usage { chunk["usage"] = usage }
        return .object(chunk)
    }

    /// Runs chunks through SSE bytes split every `size` bytes, the way they arrive from a socket.
    static func run(_ chunks: [JSONValue], stops: [String] = [], splitEvery size: Int = 1000) throws -> [AnthropicEvent] {
        var wire: [UInt8] = []
        for chunk in chunks { wire += Array("data: ".utf8) + JSONWriter.bytes(chunk) + Array("\n\n".utf8) }
        wire += Array("data: [DONE]\n\n".utf8)
        var parser = ServerSentEventParser()
        var machine = ChatToAnthropicStream(model: "sonnet", stopSequences: stops)
        var events: [AnthropicEvent] = []
        var offset = 0
        while offset < wire.count, !machine.isFinished {
            for event in try parser.feed(wire[offset..<min(offset + size, wire.count)]) {
                if event.data == "[DONE]" {
                    events += machine.finish()
                } else {
                    events += machine.consume(try JSONValue.parse(Array(event.data.utf8)))
                }
            }
            offset += size
        }
        events += machine.finish()
        return events
    }

    static func message(_ events: [AnthropicEvent]) -> JSONValue {
        var builder = AnthropicMessageBuilder()
        for event in events { builder.apply(event) }
        return builder.result
    }

    static let reasoningThenTextThenTools: [JSONValue] = [
        chunk(["role": "assistant", "content": ""]),
        chunk(["reasoning_text": "Let me "]), chunk(["reasoning_text": "check."]), chunk(["reasoning_opaque": "opaque-1"]),
        chunk(["content": "Looking"]), chunk(["content": " now."]),
        chunk(["tool_calls": [["index": 0, "function": ["arguments": "{\"pa"]]]]),
        chunk(["tool_calls": [["index": 0, "id": "call_a"]]]),
        chunk(["tool_calls": [["index": 0, "function": ["name": "Read", "arguments": "th\":\"a\"}"]]]]),
        chunk(["tool_calls": [["index": 1, "id": "call_b", "type": "function", "function": ["name": "Grep", "arguments": ""]]]]),
        chunk(["tool_calls": [["index": 1, "function": ["arguments": "{}"]]]]),
        chunk([:], finish: "tool_calls"),
        [
            "id": "c1", "choices": [],
            "usage": ["prompt_tokens": 120, "completion_tokens": 30, "prompt_tokens_details": ["cached_tokens": 100]],
        ],
    ]

    @Test(arguments: [1, 3, 7, 1000])
    func exactGrammarWhateverTheSplit(size: Int) throws {
        let events = try Self.run(Self.reasoningThenTextThenTools, splitEvery: size)
        #expect(
            events.map(\.type) == [
                "message_start", "ping",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "content_block_start", "content_block_delta", "content_block_stop",
                "message_delta", "message_stop",
            ]
        )
        let starts = events.filter { $0.type == "content_block_start" }.compactMap { $0.data["index"]?.intValue }
        #expect(starts == [0, 1, 2, 3])
        let message = Self.message(events)
        #expect(
            message["content"] == [
                ["type": "thinking", "thinking": "Let me check.", "signature": "opaque-1"],
                ["type": "text", "text": "Looking now."],
                ["type": "tool_use", "id": "call_a", "name": "Read", "input": ["path": "a"]],
                ["type": "tool_use", "id": "call_b", "name": "Grep", "input": [:]],
            ]
        )
        #expect(message["stop_reason"] == "tool_use")
        #expect(message["usage"] == ["input_tokens": 20, "output_tokens": 30, "cache_read_input_tokens": 100])
        #expect(message["model"] == "sonnet")
    }

    @Test(arguments: [("stop", "end_turn"), ("length", "max_tokens"), ("content_filter", "refusal"), ("tool_calls", "tool_use")])
    func finishReasons(openAI: String, anthropic: String) throws {
        let events = try Self.run([Self.chunk(["content": "x"]), Self.chunk([:], finish: openAI)])
        #expect(Self.message(events)["stop_reason"] == .string(anthropic))
    }

    @Test(arguments: [1, 2, 5])
    func stopSequencesAreEnforcedAcrossChunks(size: Int) throws {
        let chunks =
            ["Hello ", "wor", "ld EN", "D more", " text"].map { Self.chunk(["content": .string($0)]) } + [Self.chunk([:], finish: "stop")]
        let events = try Self.run(chunks, stops: ["END", "never"], splitEvery: size)
        let message = Self.message(events)
        #expect(message["content"] == [["type": "text", "text": "Hello world "]])
        #expect(message["stop_reason"] == "stop_sequence")
        #expect(message["stop_sequence"] == "END")
        #expect(events.last?.type == "message_stop")
    }

    @Test func aStreamWithoutFinishEndsInAnErrorNotAStop() throws {
        var machine = ChatToAnthropicStream(model: "m")
        _ = machine.consume(Self.chunk(["content": "partial"]))
        let end = machine.finish()
        #expect(end.map(\.type) == ["error"])
        #expect(end.first?.data["error"]?["type"] == "api_error")
    }

    @Test func usageOnTheFinishChunkCounts() throws {
        let events = try Self.run([
            Self.chunk(["content": "x"]), Self.chunk([:], finish: "stop", usage: ["prompt_tokens": 9, "completion_tokens": 1]),
        ])
        #expect(Self.message(events)["usage"] == ["input_tokens": 9, "output_tokens": 1])
    }
}
