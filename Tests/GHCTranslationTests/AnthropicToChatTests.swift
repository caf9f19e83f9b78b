import GHCCore
import GHCTranslation
import Testing

@Suite struct AnthropicToChatTests {
    private func translate(_ request: JSONValue, model: String = "gpt-4.1") throws -> JSONValue {
        try AnthropicToChat.request(request.objectValue ?? [:], model: model)
    }

    @Test func systemStringOrBlocksBecomesOneSystemMessage() throws {
        let fromString = try translate(["model": "m", "system": "Be kind.", "messages": [["role": "user", "content": "hi"]]])
        #expect(fromString["messages"]?.arrayValue?.first == ["role": "system", "content": "Be kind."])
        let fromBlocks = try translate([
            "model": "m", "system": [["type": "text", "text": "A"], ["type": "text", "text": "B"]], "messages": [],
        ])
        #expect(fromBlocks["messages"]?.arrayValue?.first == ["role": "system", "content": "A\n\nB"])
    }

    @Test func toolResultsComeFirstAsToolMessagesAndErrorsAreMarked() throws {
        let chat = try translate([
            "model": "m",
            "messages": [
                [
                    "role": "assistant",
                    "content": [
                        ["type": "tool_use", "id": "t1", "name": "Read", "input": ["path": "a"]],
                        ["type": "tool_use", "id": "t2", "name": "Read", "input": [:]],
                    ],
                ],
                [
                    "role": "user",
                    "content": [
                        ["type": "text", "text": "after"],
                        ["type": "tool_result", "tool_use_id": "t1", "content": "file text"],
                        ["type": "tool_result", "tool_use_id": "t2", "content": [["type": "text", "text": "gone"]], "is_error": true],
                    ],
                ],
            ],
        ])
        let messages = try #require(chat["messages"]?.arrayValue)
        #expect(messages[0]["tool_calls"]?.arrayValue?.count == 2)
        #expect(messages[0]["tool_calls"]?.arrayValue?.first?["function"]?["arguments"] == #"{"path":"a"}"#)
        #expect(messages[0]["content"] == .null)
        #expect(messages[1] == ["role": "tool", "tool_call_id": "t1", "content": "file text"])
        #expect(messages[2] == ["role": "tool", "tool_call_id": "t2", "content": "Error: gone"])
        #expect(messages[3] == ["role": "user", "content": "after"])
    }

    @Test func imagesBase64AndURLAndInsideToolResults() throws {
        let base64: JSONValue = ["type": "image", "source": ["type": "base64", "media_type": "image/jpeg", "data": "AAAA"]]
        let url: JSONValue = ["type": "image", "source": ["type": "url", "url": "https://x.test/a.png"]]
        let chat = try translate([
            "model": "m",
            "messages": [
                ["role": "user", "content": [["type": "text", "text": "see"], base64]],
                ["role": "assistant", "content": [["type": "tool_use", "id": "s", "name": "shot", "input": [:]]]],
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "s", "content": [url]]]],
            ],
        ])
        let messages = try #require(chat["messages"]?.arrayValue)
        #expect(
            messages[0]["content"] == [
                ["type": "text", "text": "see"], ["type": "image_url", "image_url": ["url": "data:image/jpeg;base64,AAAA"]],
            ]
        )
        #expect(messages[2] == ["role": "tool", "tool_call_id": "s", "content": ""])
        #expect(messages[3] == ["role": "user", "content": [["type": "image_url", "image_url": ["url": "https://x.test/a.png"]]]])
    }

    @Test func thinkingTravelsAsCopilotReasoningFields() throws {
        let chat = try translate([
            "model": "m", "thinking": ["type": "enabled", "budget_tokens": 2048],
            "messages": [
                [
                    "role": "assistant",
                    "content": [
                        ["type": "thinking", "thinking": "hmm", "signature": "sig-1"], ["type": "redacted_thinking", "data": "xx"],
                        ["type": "text", "text": "ok"],
                    ],
                ]
            ],
        ])
        #expect(
            chat["messages"]?.arrayValue?.first == [
                "role": "assistant", "content": "ok", "reasoning_text": "hmm", "reasoning_opaque": "sig-1",
            ]
        )
        #expect(chat["thinking_budget"] == 2048)
    }

    static let toolChoices: [(JSONValue, JSONValue)] = [
        (["type": "auto"], "auto"), (["type": "any"], "required"), (["type": "none"], "none"),
        (["type": "tool", "name": "Read"], ["type": "function", "function": ["name": "Read"]]),
    ]

    @Test(arguments: toolChoices)
    func toolChoice(anthropic: JSONValue, openAI: JSONValue) throws {
        let chat = try translate([
            "model": "m", "messages": [], "tool_choice": anthropic, "tools": [["name": "Read", "input_schema": ["type": "object"]]],
        ])
        #expect(chat["tool_choice"] == openAI)
        #expect(chat["tools"] == [["type": "function", "function": ["name": "Read", "parameters": ["type": "object"]]]])
    }

    @Test func parametersAndTheStreamAlwaysOn() throws {
        let chat = try translate([
            "model": "m", "max_tokens": 100, "temperature": 0.5, "top_p": 0.9, "top_k": 5, "stop_sequences": ["X"],
            "metadata": ["user_id": "u1"], "stream": false, "messages": [],
        ])
        #expect(chat["max_tokens"] == 100 && chat["temperature"] == 0.5 && chat["top_p"] == 0.9 && chat["user"] == "u1")
        #expect(chat["top_k"] == nil && chat["stop"] == nil)
        #expect(chat["stream"] == true && chat["stream_options"] == ["include_usage": true])
        let gpt5 = try translate(["model": "m", "max_tokens": 100, "messages": []], model: "gpt-5-mini")
        #expect(gpt5["max_completion_tokens"] == 100 && gpt5["max_tokens"] == nil)
    }

    @Test func anUnknownRoleIsRefused() {
        #expect(throws: TranslationError.self) { try translate(["model": "m", "messages": [["role": "narrator", "content": "x"]]]) }
    }

    @Test func aSystemMessageStaysAtItsPlace() throws {
        let chat = try translate([
            "model": "m",
            "messages": [["role": "user", "content": "q"], ["role": "system", "content": [["type": "text", "text": "env"]]]],
        ])
        #expect(chat["messages"] == [["role": "user", "content": "q"], ["role": "system", "content": "env"]])
    }
}
