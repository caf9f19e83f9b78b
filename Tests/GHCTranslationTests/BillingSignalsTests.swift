import GHCCore
import GHCTranslation
import Testing

/// `X-Initiator` and vision detection: the one rule every route bills by.
@Suite struct BillingSignalsTests {
    static let lastMessages: [(JSONValue, String)] = [
        ([["role": "user", "content": "new question"]], "user"),
        ([["role": "user", "content": "q"], ["role": "assistant", "content": "a"], ["role": "user", "content": "another"]], "user"),
        (
            [
                [
                    "role": "user",
                    "content": [
                        ["type": "tool_result", "tool_use_id": "t", "content": "r"], ["type": "text", "text": "<system-reminder>"],
                    ],
                ]
            ], "agent"
        ),
        ([["role": "user", "content": "q"], ["role": "assistant", "content": "prefill"]], "agent"),
        // Claude Code's environment block after the question is a system message: the turn is still the user's.
        ([["role": "user", "content": "q"], ["role": "system", "content": [["type": "text", "text": "# Environment"]]]], "user"),
        ([["role": "assistant", "content": "a"], ["role": "system", "content": "reminder"]], "agent"),
        ([["role": "system", "content": "you are"], ["role": "user", "content": "hi"], ["role": "developer", "content": "x"]], "user"),
        ([["role": "user", "content": "q"], ["role": "tool", "tool_call_id": "c", "content": "r"]], "agent"),
        ([["role": "system", "content": "only instructions"]], "user"),
    ]

    @Test(arguments: lastMessages)
    func initiatorFollowsTheLastMessageThatIsNotSystem(messages: JSONValue, expected: String) {
        #expect(BillingSignals.initiator(messages: messages.arrayValue ?? []) == expected)
    }

    @Test func responsesInputSkipsDeveloperItems() {
        let userThenDeveloper: JSONValue = [
            ["role": "user", "content": "hi"], ["type": "message", "role": "developer", "content": "ctx"],
        ]
        #expect(BillingSignals.initiator(responsesInput: userThenDeveloper) == "user")
        #expect(BillingSignals.initiator(responsesInput: [["type": "function_call_output", "call_id": "c", "output": "x"]]) == "agent")
        #expect(BillingSignals.initiator(responsesInput: "plain text") == "user")
    }

    @Test func imagesAreFoundInEveryDialectAndInsideToolResults() {
        #expect(BillingSignals.hasImages(messages: [["role": "user", "content": [["type": "image_url", "image_url": ["url": "x"]]]]]))
        #expect(
            BillingSignals.hasImages(messages: [
                ["role": "user", "content": [["type": "tool_result", "content": [["type": "image", "source": [:]]]]]]
            ])
        )
        #expect(!BillingSignals.hasImages(messages: [["role": "user", "content": "no image"]]))
        #expect(BillingSignals.hasImages(responsesInput: [["role": "user", "content": [["type": "input_image", "image_url": "x"]]]]))
    }
}
