import GHCCore
import GHCTranslation
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The first request of Claude Code 2.1.327 (`claude -p "say hi"`, captured as it reached the proxy), on all three paths.
@Suite struct ClaudeCodeRequestTests {
    static func captured() throws -> [String: JSONValue] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/claude-code-2.1.327-first-request.json"
        ).path
        let data = try #require(FileManager.default.contents(atPath: path))
        return try #require(JSONValue.parse(Array(data)).objectValue)
    }

    @Test func theCapturedRequestHasTodaysShape() throws {
        let request = try Self.captured()
        #expect(request["messages"]?.arrayValue?.last?["role"] == "system")
        #expect(request["thinking"]?["display"] == "omitted")
        #expect(request["context_management"] != nil)
        #expect(request["tools"]?.arrayValue?.contains { $0["defer_loading"] == true } == true)
    }

    @Test func nativeShapingLeavesNothingCopilotRefuses() throws {
        var request = try Self.captured()
        let changed = CopilotMessagesCompatibility.shape(&request, passSystemMessages: false)
        #expect(Set(changed) == ["context_management", "thinking.display", "tools[].defer_loading", "system messages folded"])
        let messages = try #require(request["messages"]?.arrayValue)
        #expect(messages.map { $0["role"] } == ["user"])
        #expect(messages.allSatisfy { Set($0.objectValue?.keys ?? [:].keys) == ["role", "content"] })
        let blocks = try #require(messages[0]["content"]?.arrayValue)
        #expect(blocks[1]["text"] == "say hi")
        let environment = try #require(blocks.last?["text"]?.stringValue)
        #expect(environment.hasPrefix("<system-reminder>\n# Environment"))
        #expect(environment.hasSuffix("\n</system-reminder>"))
        #expect(blocks.last?["cache_control"] == ["type": "ephemeral"])
        #expect(request["thinking"] == ["type": "adaptive"])
        #expect(request["output_config"] == ["effort": "medium"])
        #expect(request["tools"]?.arrayValue?.allSatisfy { $0["defer_loading"] == nil } == true)
        #expect(request["tools"]?.arrayValue?.count == 12)
    }

    @Test func passModeKeepsSystemMessages() throws {
        var request = try Self.captured()
        CopilotMessagesCompatibility.shape(&request, passSystemMessages: true)
        #expect(request["messages"]?.arrayValue?.last?["role"] == "system")
        #expect(request["messages"]?.arrayValue?.last?["output_config"] != nil)
        #expect(request["context_management"] == nil)
    }

    @Test func chatTranslationPutsTheSystemMessageInPlace() throws {
        let request = try Self.captured()
        let chat = try AnthropicToChat.request(request, model: "claude-opus-5.5", efforts: ["low", "medium", "high"])
        let roles = chat["messages"]?.arrayValue?.map { $0["role"]?.stringValue }
        #expect(roles == ["system", "user", "system"])
        #expect(chat["messages"]?.arrayValue?.last?["content"]?.stringValue?.hasPrefix("# Environment") == true)
        #expect(chat["reasoning_effort"] == "medium")
        #expect(chat["user"] == "0904d758d9b002ea2fe47b037326eea2897f246e958362a804dc140fcc3a5e51")
        #expect(chat["tools"]?.arrayValue?.count == 12)
        #expect(chat["tools"]?.arrayValue?.allSatisfy { $0["function"]?["defer_loading"] == nil && $0["defer_loading"] == nil } == true)
    }

    @Test func responsesTranslationMakesItADeveloperMessage() throws {
        let request = try Self.captured()
        let responses = try AnthropicToResponses.request(request, model: "gpt-5.3-codex", efforts: ["low", "medium", "high", "xhigh"])
        let input = try #require(responses["input"]?.arrayValue)
        #expect(input.map { $0["role"]?.stringValue } == ["user", "developer"])
        #expect(input.last?["content"]?.arrayValue?.first?["text"]?.stringValue?.hasPrefix("# Environment") == true)
        #expect(responses["reasoning"]?["effort"] == "medium")
        let withoutEfforts = try AnthropicToResponses.request(request, model: "gpt-4.1")
        #expect(withoutEfforts["reasoning"] == nil)
    }
}

/// Folding `system` messages into user turns, wherever they stand.
@Suite struct SystemMessageFoldingTests {
    private func texts(_ message: JSONValue) -> [String] {
        (message["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }
    }

    @Test func beforeAQuestionItLeadsTheQuestionAfterToolResults() {
        let folded = SystemMessages.fold([
            ["role": "assistant", "content": [["type": "tool_use", "id": "t", "name": "Read", "input": [:]]]],
            ["role": "system", "content": "ctx"],
            [
                "role": "user",
                "content": [["type": "tool_result", "tool_use_id": "t", "content": "r"], ["type": "text", "text": "next"]],
            ],
        ])
        #expect(folded.count == 2)
        let blocks = folded[1]["content"]?.arrayValue ?? []
        #expect(blocks.map { $0["type"]?.stringValue } == ["tool_result", "text", "text"])
        #expect(blocks[1]["text"] == "<system-reminder>\nctx\n</system-reminder>")
    }

    @Test func withNoUserTurnItBecomesOne() {
        let folded = SystemMessages.fold([
            ["role": "user", "content": "q"], ["role": "assistant", "content": "a"], ["role": "system", "content": "late"],
        ])
        #expect(folded.map { $0["role"] } == ["user", "assistant", "user"])
        #expect(texts(folded[2]) == ["<system-reminder>\nlate\n</system-reminder>"])
    }

    @Test func severalInARowKeepTheirOrder() {
        let folded = SystemMessages.fold([
            ["role": "system", "content": "one"], ["role": "system", "content": "two"], ["role": "user", "content": "q"],
        ])
        #expect(folded.count == 1)
        #expect(texts(folded[0]) == ["<system-reminder>\none\n</system-reminder>", "<system-reminder>\ntwo\n</system-reminder>", "q"])
    }

    @Test func toolReferencesBecomeText() {
        var request: [String: JSONValue] = [
            "messages": [
                [
                    "role": "user",
                    "content": [
                        ["type": "tool_result", "tool_use_id": "t", "content": [["type": "tool_reference", "tool_name": "WebFetch"]]]
                    ],
                ]
            ]
        ]
        CopilotMessagesCompatibility.shape(&request, passSystemMessages: false)
        let result = request["messages"]?.arrayValue?.first?["content"]?.arrayValue?.first
        #expect(result?["content"] == [["type": "text", "text": "Tool WebFetch is loaded and can be called."]])
    }

    @Test func maxTokensIsLoweredToTheModelsLimitOnly() {
        var request: [String: JSONValue] = ["max_tokens": 128_000]
        CopilotMessagesCompatibility.clampMaxTokens(&request, limit: 32_000)
        #expect(request["max_tokens"] == 32_000)
        CopilotMessagesCompatibility.clampMaxTokens(&request, limit: nil)
        #expect(request["max_tokens"] == 32_000)
        CopilotMessagesCompatibility.clampMaxTokens(&request, limit: 64_000)
        #expect(request["max_tokens"] == 32_000)
    }

    @Test func claudeCodesUserIDIsTheAccountOrTheDevice() {
        #expect(ClaudeUserID.id(from: ["user_id": #"{"device_id":"dev","account_uuid":"","session_id":"s"}"#]) == "dev")
        #expect(ClaudeUserID.id(from: ["user_id": #"{"device_id":"dev","account_uuid":"acct"}"#]) == "acct")
        #expect(ClaudeUserID.id(from: ["user_id": "user_abc"]) == "user_abc")
        #expect(ClaudeUserID.id(from: nil) == nil)
    }
}
