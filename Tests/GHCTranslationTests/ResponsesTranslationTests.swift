import GHCCore
import GHCTranslation
import Testing

@Suite struct ResponsesTranslationTests {
    @Test func reasoningCarrierRoundTrips() throws {
        let signature = ReasoningCarrier.signature(encryptedContent: "enc+/==", itemID: "rs_1", model: "gpt-5.2-codex")
        #expect(signature.hasPrefix("ghc-api:responses-reasoning:v1:"))
        #expect(!signature.contains("+") && !signature.contains("/") && !signature.contains("="))
        let back = try #require(ReasoningCarrier.encryptedContent(in: signature))
        #expect(back.content == "enc+/==" && back.itemID == "rs_1")
        #expect(ReasoningCarrier.encryptedContent(in: "standin-signature-1") == nil)
    }

    @Test func anthropicRequestToResponses() throws {
        let signature = ReasoningCarrier.signature(encryptedContent: "E1", itemID: nil, model: "m")
        let request = try AnthropicToResponses.request(
            [
                "system": "Sys", "max_tokens": 500, "thinking": ["type": "enabled", "budget_tokens": 5000],
                "tools": [["name": "Read", "description": " ", "input_schema": ["type": "object"]]], "tool_choice": ["type": "any"],
                "messages": [
                    ["role": "user", "content": "go"],
                    [
                        "role": "assistant",
                        "content": [
                            ["type": "thinking", "thinking": "plan", "signature": .string(signature)],
                            ["type": "tool_use", "id": "c1", "name": "Read", "input": ["p": 1]],
                        ],
                    ],
                    ["role": "user", "content": [["type": "tool_result", "tool_use_id": "c1", "content": "data"]]],
                ],
            ],
            model: "gpt-5.2-codex",
            efforts: ["low", "medium", "high"]
        )
        #expect(
            request["instructions"] == "Sys" && request["max_output_tokens"] == 500 && request["stream"] == true
                && request["store"] == false
        )
        #expect(request["reasoning"] == ["effort": "medium", "summary": "auto"])
        #expect(request["tool_choice"] == "required")
        #expect(request["tools"]?.arrayValue?.first?["description"] == "Tool: Read.")
        #expect(
            request["input"] == [
                ["type": "message", "role": "user", "content": [["type": "input_text", "text": "go"]]],
                ["type": "reasoning", "encrypted_content": "E1", "summary": [["type": "summary_text", "text": "plan"]]],
                ["type": "function_call", "call_id": "c1", "name": "Read", "arguments": #"{"p":1}"#],
                ["type": "function_call_output", "call_id": "c1", "output": "data"],
            ]
        )
    }

    @Test func responsesStreamToAnthropicEvents() throws {
        var machine = ResponsesToAnthropicStream(model: "codex")
        let upstream: [JSONValue] = [
            ["type": "response.created", "response": ["id": "resp_1"]],
            ["type": "response.output_item.added", "item": ["type": "reasoning", "id": "rs"]],
            [
                "type": "response.output_item.done",
                "item": [
                    "type": "reasoning", "id": "rs", "encrypted_content": "ENC", "summary": [["type": "summary_text", "text": "why"]],
                ],
            ],
            ["type": "response.output_item.added", "item": ["type": "message", "id": "m1"]],
            ["type": "response.output_text.delta", "item_id": "m1", "delta": "Hi "],
            ["type": "response.output_text.delta", "item_id": "m1", "delta": "there"],
            ["type": "response.output_item.done", "item": ["type": "message", "id": "m1"]],
            ["type": "response.output_item.added", "item": ["type": "function_call", "id": "f1", "call_id": "call_1", "name": "Read"]],
            ["type": "response.function_call_arguments.delta", "item_id": "f1", "delta": "{\"a\":"],
            ["type": "response.function_call_arguments.delta", "item_id": "f1", "delta": "1}"],
            ["type": "response.output_item.done", "item": ["type": "function_call", "id": "f1"]],
            [
                "type": "response.completed",
                "response": ["usage": ["input_tokens": 50, "output_tokens": 7, "input_tokens_details": ["cached_tokens": 10]]],
            ],
        ]
        var builder = AnthropicMessageBuilder()
        var types: [String] = []
        for event in upstream {
            for out in machine.consume(event) {
                builder.apply(out)
                types.append(out.type)
            }
        }
        #expect(machine.isFinished)
        #expect(types.first == "message_start" && types.last == "message_stop" && !types.contains("error"))
        let message = builder.result
        let content = try #require(message["content"]?.arrayValue)
        #expect(content.count == 3)
        #expect(content[0]["thinking"] == "why")
        #expect(ReasoningCarrier.encryptedContent(in: content[0]["signature"]?.stringValue ?? "")?.content == "ENC")
        #expect(content[1] == ["type": "text", "text": "Hi there"])
        #expect(content[2] == ["type": "tool_use", "id": "call_1", "name": "Read", "input": ["a": 1]])
        #expect(message["stop_reason"] == "tool_use")
        #expect(message["usage"] == ["input_tokens": 40, "output_tokens": 7, "cache_read_input_tokens": 10])
        #expect(message["id"] == "msg_resp_1")
    }

    @Test func incompleteAndFailedStreams() {
        var incomplete = ResponsesToAnthropicStream(model: "m")
        let events = incomplete.consume([
            "type": "response.incomplete", "response": ["incomplete_details": ["reason": "max_output_tokens"]],
        ])
        #expect(events.first { $0.type == "message_delta" }?.data["delta"]?["stop_reason"] == "max_tokens")
        var failed = ResponsesToAnthropicStream(model: "m")
        _ = failed.consume(["type": "response.created", "response": ["id": "r"]])
        #expect(failed.consume(["type": "response.failed", "response": ["error": ["message": "boom"]]]).map(\.type) == ["error"])
        var cut = ResponsesToAnthropicStream(model: "m")
        _ = cut.consume(["type": "response.created", "response": ["id": "r"]])
        #expect(cut.finish().map(\.type) == ["error"])
    }

    @Test func chatRequestToResponsesAndStreamBack() throws {
        let request = try ChatToResponses.request(
            [
                "messages": [
                    ["role": "system", "content": "S"],
                    ["role": "user", "content": [["type": "text", "text": "q"], ["type": "image_url", "image_url": ["url": "u"]]]],
                ],
                "max_tokens": 9, "tools": [["type": "function", "function": ["name": "f", "parameters": ["type": "object"]]]],
                "tool_choice": ["type": "function", "function": ["name": "f"]],
            ],
            model: "codex"
        )
        #expect(request["instructions"] == "S" && request["max_output_tokens"] == 9)
        #expect(
            request["input"] == [
                [
                    "type": "message", "role": "user",
                    "content": [["type": "input_text", "text": "q"], ["type": "input_image", "image_url": "u"]],
                ]
            ]
        )
        #expect(request["tool_choice"] == ["type": "function", "name": "f"])
        var machine = ResponsesToChatStream(model: "codex", id: "chatcmpl-1")
        var builder = ChatCompletionBuilder()
        for event: JSONValue in [
            ["type": "response.output_text.delta", "delta": "Hel"], ["type": "response.output_text.delta", "delta": "lo"],
            ["type": "response.completed", "response": ["usage": ["input_tokens": 3, "output_tokens": 2]]],
        ] {
            for chunk in machine.consume(event) { builder.apply(chunk) }
        }
        let completion = builder.result
        #expect(completion["choices"]?.arrayValue?.first?["message"]?["content"] == "Hello")
        #expect(completion["choices"]?.arrayValue?.first?["finish_reason"] == "stop")
        #expect(completion["usage"]?["total_tokens"] == 5)
    }
}
