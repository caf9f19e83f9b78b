import GHCCore
import GHCTranslation
import Testing

/// Judging a Responses stream's prelude, and leaving out what Copilot cannot decrypt.
@Suite struct ResponsesRecoveryTests {
    private func event(_ type: String, _ payload: JSONValue) -> ServerSentEvent {
        var members = payload.objectValue ?? [:]
        members["type"] = .string(type)
        return ServerSentEvent(event: type, data: JSONValue.object(members).jsonString())
    }

    @Test func preludeEventsAreJudged() {
        #expect(ResponsesRecovery.judge(event("response.created", ["response": ["output": []]])) == .prelude)
        #expect(ResponsesRecovery.judge(ServerSentEvent(data: "", hasData: false)) == .prelude)
        #expect(ResponsesRecovery.judge(event("response.failed", ["response": ["output": [], "error": .null]])) == .failedEarly)
        #expect(
            ResponsesRecovery.judge(event("response.failed", ["response": ["output": [], "error": ["code": "invalid_request_body"]]]))
                == .diagnosed
        )
        #expect(ResponsesRecovery.judge(event("response.failed", ["response": ["output": [["type": "message"]]]])) == .output)
        #expect(ResponsesRecovery.judge(event("error", ["message": "why"])) == .diagnosed)
        #expect(ResponsesRecovery.judge(event("response.output_text.delta", ["delta": "hi"])) == .output)
    }

    @Test func copilotsDecryptionErrorsAreRecognised() {
        let reasoning: JSONValue = [
            "error": [
                "code": "invalid_request_body",
                "message":
                    "The encrypted content for item rs_1 could not be verified. Reason: Encrypted content could not be decrypted or parsed.",
            ]
        ]
        let output: JSONValue = [
            "error": ["code": "invalid_request_body", "message": "Encrypted function output content could not be decrypted or decoded."]
        ]
        #expect(ResponsesRecovery.isUndecryptable(reasoning) && ResponsesRecovery.isUndecryptable(output))
        #expect(
            !ResponsesRecovery.isUndecryptable(["error": ["code": "rate_limited", "message": "encrypted content could not be verified"]])
        )
        #expect(!ResponsesRecovery.isUndecryptable(["error": ["code": "invalid_request_body", "message": "bad tool"]]))
    }

    @Test func encryptedItemsAreLeftOutAndOutputsKeepTheirPlace() throws {
        let request: JSONValue = [
            "model": "m",
            "input": [
                ["role": "user", "content": "q"],
                ["type": "reasoning", "encrypted_content": "x"],
                ["type": "function_call", "call_id": "a", "name": "f", "arguments": "{}", "encrypted_content": "y"],
                ["type": "function_call_output", "call_id": "a", "output": "dropped with its call"],
                ["type": "function_call", "call_id": "b", "name": "g", "arguments": "{}"],
                ["type": "function_call_output", "call_id": "b", "output": [["type": "input_text", "encrypted_content": "z"]]],
            ],
        ]
        let stripped = try #require(ResponsesRecovery.withoutEncryptedContent(request))
        let input = try #require(stripped["input"]?.arrayValue)
        #expect(input.map { $0["type"]?.stringValue ?? "message" } == ["message", "function_call", "function_call_output"])
        #expect(input.last?["output"] == .string(ResponsesRecovery.omittedOutput))
        #expect(ResponsesRecovery.withoutEncryptedContent(["input": [["role": "user", "content": "q"]]]) == nil)
    }
}
