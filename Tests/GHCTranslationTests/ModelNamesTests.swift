import GHCTranslation
import Testing

/// Claude Code's model spellings and the family fallback.
@Suite struct ModelNamesTests {
    static let spellings: [(String, String)] = [
        ("claude-opus-5-5", "claude-opus-5.5"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4.5"),
        ("claude-opus-5-5[1m]", "claude-opus-5.5"),
        ("claude-haiku-4-5", "claude-haiku-4.5"),
        ("claude-sonnet-4-20250514", "claude-sonnet-4"),
        ("claude-opus-4.5", "claude-opus-4.5"),
        ("claude-sonnet-4-latest", "claude-sonnet-4"),
        ("gpt-5.5", "gpt-5.5"),
        ("gpt-4o-2024-08-06", "gpt-4o-2024-08-06"),
        ("  claude-opus-5-5  ", "claude-opus-5.5"),
    ]

    @Test(arguments: spellings)
    func claudeSpellingsBecomeCatalogNames(spelling: String, expected: String) {
        #expect(ModelNames.normalise(spelling) == expected)
    }

    @Test func familiesAreRecognisedInEveryForm() {
        #expect(ModelNames.claudeFamily("claude-opus-5.5") == "opus")
        #expect(ModelNames.claudeFamily("claude-3-7-sonnet") == "sonnet")
        #expect(ModelNames.claudeFamily("haiku") == "haiku")
        #expect(ModelNames.claudeFamily("gpt-5.5") == nil)
    }

    @Test func theNewestModelOfAFamilyWins() {
        let catalog = ["claude-opus-4.5", "claude-opus-5.5-fast", "claude-opus-5.5", "claude-opus-4.10", "claude-sonnet-4.6", "gpt-5.5"]
        #expect(ModelNames.newest(of: "opus", among: catalog) == "claude-opus-5.5")
        #expect(ModelNames.newest(of: "sonnet", among: catalog) == "claude-sonnet-4.6")
        #expect(ModelNames.newest(of: "haiku", among: catalog) == nil)
        #expect(ModelNames.newest(of: "opus", among: ["claude-opus-4.9", "claude-opus-4.10"]) == "claude-opus-4.10")
    }

    @Test func effortsFitWhatTheModelLists() {
        #expect(ReasoningEffort.fit("medium", to: ["low", "medium", "high"]) == "medium")
        #expect(ReasoningEffort.fit("max", to: ["low", "medium", "high"]) == "high")
        #expect(ReasoningEffort.fit("minimal", to: ["low", "high"]) == "low")
        #expect(ReasoningEffort.fit("medium", to: []) == nil)
        #expect(ReasoningEffort.fit(nil, to: ["low"]) == nil)
    }
}
