import GHCCore
import GHCStore
import Testing

@testable import GHCProxy

@Suite("Usage extraction")
struct UsageExtractionTests {
    /// The usage read from `document` as bytes (skimmed) and as a parsed tree; they must agree.
    private func both(_ document: String, startingFrom start: TokenUsage = TokenUsage()) throws -> (TokenUsage, TokenUsage) {
        var skimmed = start
        var parsed = start
        UsageExtraction.merge(document: Array(document.utf8), into: &skimmed)
        UsageExtraction.merge(try JSONValue.parse(Array(document.utf8)), into: &parsed)
        return (skimmed, parsed)
    }

    @Test("Chat Completions: cached prompt tokens are not input")
    func chatCompletions() throws {
        let (skimmed, parsed) = try both(
            #"{"choices":[],"usage":{"prompt_tokens":120,"completion_tokens":7,"total_tokens":127,"prompt_tokens_details":{"cached_tokens":100}}}"#
        )
        #expect(skimmed == TokenUsage(input: 20, output: 7, cacheRead: 100))
        #expect(skimmed == parsed)
    }

    @Test("Responses: usage inside the completed response, with input details")
    func responses() throws {
        let (skimmed, parsed) = try both(
            #"{"type":"response.completed","response":{"id":"r","output":[{"type":"message","content":[{"type":"output_text","text":"hi"}]}],"#
                + #""usage":{"input_tokens":50,"input_tokens_details":{"cached_tokens":10},"output_tokens":5}}}"#
        )
        #expect(skimmed == TokenUsage(input: 40, output: 5, cacheRead: 10))
        #expect(skimmed == parsed)
    }

    @Test("Anthropic: message_start's input and cache fields, then message_delta's output, kept together")
    func anthropicEvents() throws {
        let start =
            #"{"type":"message_start","message":{"id":"m","usage":{"input_tokens":30,"cache_read_input_tokens":200,"cache_creation_input_tokens":4,"output_tokens":1}}}"#
        let (afterStart, parsedStart) = try both(start)
        #expect(afterStart == TokenUsage(input: 30, output: 1, cacheRead: 200, cacheCreation: 4))
        #expect(afterStart == parsedStart)
        let (afterDelta, parsedDelta) = try both(
            #"{"type":"message_delta","delta":{"stop_reason":"end_turn"},"usage":{"input_tokens":0,"output_tokens":42}}"#,
            startingFrom: afterStart
        )
        #expect(afterDelta == TokenUsage(input: 30, output: 42, cacheRead: 200, cacheCreation: 4))
        #expect(afterDelta == parsedDelta)
    }

    @Test("null or missing usage leaves what was counted; bytes that are not an object are refused")
    func absentUsage() throws {
        let counted = TokenUsage(input: 3, output: 2)
        for document in [#"{"usage":null}"#, #"{"id":"x"}"#, #"{"message":{"usage":null}}"#, #"{"usage":7}"#] {
            let (skimmed, parsed) = try both(document, startingFrom: counted)
            #expect(skimmed == counted)
            #expect(parsed == counted)
        }
        var usage = counted
        #expect(!UsageExtraction.merge(document: Array("[1,2]".utf8), into: &usage))
        #expect(!UsageExtraction.merge(document: Array("{\"usage\":".utf8), into: &usage))
        #expect(usage == counted)
    }
}
