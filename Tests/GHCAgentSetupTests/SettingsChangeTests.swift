import Foundation
import GHCAgentSetup
import GHCTestSupport
import Testing

/// A change is shown, backed up, written, repeated without effect, and undone.
@Suite struct SettingsChangeTests {
    @Test func applyingBacksUpAndRepeatingChangesNothingAndUndoRestores() throws {
        let home = try TemporaryDirectory()
        let path = home.path + "/.claude/settings.json"
        try FileManager.default.createDirectory(atPath: home.path + "/.claude", withIntermediateDirectories: true)
        let original = "{\n  \"theme\": \"dark\"\n}\n"
        try original.write(toFile: path, atomically: true, encoding: .utf8)
        let variables = ClaudeCodeSetup.variables(
            baseURL: "http://127.0.0.1:8313",
            token: "k",
            model: "claude-opus-5.5",
            smallModel: "gpt-5-mini"
        )
        let change = try ClaudeCodeSetup.change(path: path, variables: variables)
        #expect(change.diff.contains("+    \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8313\","))
        let backup = try #require(try change.apply(now: Date(timeIntervalSince1970: 1_800_000_000)))
        #expect(try String(contentsOfFile: backup, encoding: .utf8) == original)
        #expect(try String(contentsOfFile: path, encoding: .utf8) == change.new)
        let again = try ClaudeCodeSetup.change(path: path, variables: variables)
        #expect(!again.changes)
        #expect(again.diff.isEmpty)
        let (undo, from) = try SettingsChange.undo(path)
        #expect(from == backup)
        _ = try undo.apply()
        #expect(try String(contentsOfFile: path, encoding: .utf8) == original)
    }

    @Test func aMissingFileIsCreatedAndUndoWithoutABackupSaysSo() throws {
        let home = try TemporaryDirectory()
        let path = home.path + "/.codex/config.toml"
        let change = try CodexSetup.change(path: path, baseURL: "http://127.0.0.1:8313/v1", model: "gpt-5.3-codex", envKey: nil)
        #expect(change.old == nil)
        #expect(try change.apply() == nil)
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("wire_api = \"responses\""))
        #expect(throws: SetupError.noBackup(path)) { _ = try SettingsChange.undo(path) }
    }

    @Test func aSettingsFileThatIsNotJSONIsLeftAlone() throws {
        let home = try TemporaryDirectory()
        let path = home.path + "/settings.json"
        try "not json".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SetupError.self) { _ = try ClaudeCodeSetup.change(path: path, variables: [(key: "A", value: "b")]) }
        #expect(try String(contentsOfFile: path, encoding: .utf8) == "not json")
    }
}

/// Models come from the catalog.
@Suite struct ModelChoiceTests {
    private let choice = ModelChoice(entries: [
        .init(id: "claude-sonnet-4.6", vendor: "Anthropic", multiplier: 1, endpoints: ["/v1/messages"]),
        .init(id: "claude-opus-4.8", vendor: "Anthropic", multiplier: 3, endpoints: ["/v1/messages"]),
        .init(id: "claude-opus-5.5", vendor: "Anthropic", multiplier: 3, endpoints: ["/v1/messages"]),
        .init(id: "claude-haiku-4.5", vendor: "Anthropic", multiplier: 0.33, endpoints: ["/v1/messages"]),
        .init(id: "gpt-5-mini", vendor: "OpenAI", multiplier: 0, endpoints: ["/responses"]),
        .init(id: "gpt-5.2-codex", vendor: "OpenAI", multiplier: 1, endpoints: ["/responses"]),
        .init(id: "gpt-5.3-codex", vendor: "OpenAI", multiplier: 1, endpoints: ["/responses"]),
    ])

    @Test func theNewestOpusTheFreeModelAndTheNewestCodexArePicked() {
        #expect(choice.bestClaude == "claude-opus-5.5")
        #expect(choice.freeSmall == "gpt-5-mini")
        #expect(choice.bestCodex == "gpt-5.3-codex")
        #expect(choice.warning(for: "claude-opus-5.5") == nil)
        #expect(choice.warning(for: "nope")?.hasPrefix("nope is not in the Copilot catalog; it has: claude-sonnet-4.6") == true)
        #expect(ModelChoice(entries: []).bestClaude == nil)
    }
}
