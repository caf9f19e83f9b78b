import GHCCore
import GHCTranslation
import Testing

@Suite struct AnthropicShapingTests {
    private func shaped(_ request: JSONValue, _ filters: ContentFilters = ContentFilters()) -> JSONValue {
        var members = request.objectValue ?? [:]
        AnthropicShaping.shape(&members, filters: filters)
        return .object(members)
    }

    @Test func billingHeaderBlocksGoAndFiltersApply() {
        let filters = ContentFilters(
            systemPromptRemove: ["secret "],
            systemPromptAdd: ["Be brief."],
            toolResultSuffixRemove: ["\n<r>x</r>", "\n"]
        )
        let result = shaped(
            [
                "system": [
                    ["type": "text", "text": "x-anthropic-billing-header: cc"],
                    ["type": "text", "text": "Keep secret rules.", "cache_control": ["type": "ephemeral", "scope": "s", "ttl": "1h"]],
                ],
                "messages": [
                    ["role": "assistant", "content": [["type": "tool_use", "id": "t", "name": "n", "input": [:]]]],
                    ["role": "user", "content": [["type": "tool_result", "tool_use_id": "t", "content": "ok\n\n<r>x</r>"]]],
                ],
            ],
            filters
        )
        #expect(
            result["system"] == [
                ["type": "text", "text": "Keep rules.", "cache_control": ["type": "ephemeral", "ttl": "1h"]],
                ["type": "text", "text": "Be brief."],
            ]
        )
        #expect(result["messages"]?.arrayValue?.last?["content"]?.arrayValue?.first?["content"] == "ok")
    }

    @Test func orphanToolResultsAreDropped() {
        let result = shaped([
            "messages": [
                ["role": "user", "content": [["type": "tool_result", "tool_use_id": "ghost", "content": "x"]]],
                [
                    "role": "user",
                    "content": [["type": "tool_result", "tool_use_id": "ghost", "content": "x"], ["type": "text", "text": "hi"]],
                ],
            ]
        ])
        #expect(result["messages"] == [["role": "user", "content": [["type": "text", "text": "hi"]]]])
    }

    @Test func tokenEstimatesGrowWithContent() {
        #expect(TokenEstimator.tokens(in: "") == 0)
        #expect(TokenEstimator.tokens(in: "hello world") == 2)
        #expect(TokenEstimator.tokens(in: "internationalization") == 4)
        #expect(TokenEstimator.tokens(in: "a, b.") == 4)
        #expect(TokenEstimator.tokens(in: "日本語です") == 4)
        let withTools = TokenEstimator.count([
            "messages": [["role": "user", "content": "hi"]], "tools": [["name": "Read", "input_schema": ["type": "object"]]],
        ])
        #expect(withTools > 346)
    }
}
