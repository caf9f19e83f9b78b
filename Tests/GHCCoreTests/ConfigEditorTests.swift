import GHCCore
import GHCTestSupport
import Testing

@Suite struct ConfigEditorTests {
    let original = """
        # My settings, keep this comment
        port: 8313   # the port
        my_own_key: keep me

        # filters
        system_prompt_remove:
          - "old text"
        """

    @Test func setChangesOneKeyAndKeepsCommentsAndUnknownKeys() async throws {
        try await TemporaryDirectory.with { dir in
            let path = try dir.write("config.yaml", original + "\n")
            let outcome = try ConfigEditor(path: path).set("port", to: "9000")
            let text = try #require(dir.read("config.yaml"))
            #expect(text.contains("# My settings, keep this comment"))
            #expect(text.contains("my_own_key: keep me"))
            #expect(text.contains("# filters"))
            #expect(text.contains("port: 9000"))
            #expect(!text.contains("8313"))
            let backup = try #require(outcome.backupPath)
            #expect(backup.hasPrefix(path + ".bak-"))
            #expect(FileStore.exists(backup))
            #expect(try GHCConfig.load(ConfigDocument.load(path: path)).config.port == 9000)
            #expect(outcome.otherProblems.map(\.key) == ["my_own_key"])
        }
    }

    @Test func aBadValueChangesNothing() async throws {
        try await TemporaryDirectory.with { dir in
            let path = try dir.write("config.yaml", original + "\n")
            #expect(throws: ConfigError.self) { try ConfigEditor(path: path).set("port", to: "70000") }
            #expect(throws: ConfigError.self) { try ConfigEditor(path: path).set("prot", to: "1") }
            #expect(dir.read("config.yaml") == original + "\n")
        }
    }

    @Test func nestedKeysAndListsAreSetInPlace() async throws {
        try await TemporaryDirectory.with { dir in
            let path = try dir.write("config.yaml", original + "\n")
            _ = try ConfigEditor(path: path).set("model_mappings.exact.sonnet", to: "claude-sonnet-4.5")
            _ = try ConfigEditor(path: path).set("system_prompt_remove", to: "[a, 'b: c']")
            let config = try GHCConfig.load(ConfigDocument.load(path: path)).config
            #expect(config.modelMappings.map("sonnet") == "claude-sonnet-4.5")
            #expect(config.modelMappings.map("opus") == "opus")
            #expect(config.systemPromptRemove == ["a", "b: c"])
            #expect(dir.read("config.yaml")?.contains("# filters") == true)
        }
    }

    @Test func versionStringsStayStrings() async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.file("config.yaml")
            _ = try ConfigEditor(path: path).set("vscode_version", to: "1.100")
            #expect(try GHCConfig.load(ConfigDocument.load(path: path)).config.vscodeVersion == "1.100")
        }
    }

    @Test func unsetRestoresTheDefault() async throws {
        try await TemporaryDirectory.with { dir in
            let path = try dir.write("config.yaml", original + "\n")
            _ = try ConfigEditor(path: path).unset("port")
            let text = try #require(dir.read("config.yaml"))
            #expect(!text.contains("port"))
            #expect(text.contains("my_own_key: keep me"))
            #expect(try GHCConfig.load(ConfigDocument.load(path: path)).config.port == 8313)
        }
    }

    @Test func initWritesAValidCommentedFileAndRefusesToOverwrite() async throws {
        try await TemporaryDirectory.with { dir in
            let path = dir.file("sub/config.yaml")
            _ = try ConfigEditor(path: path).writeDefaults(force: false)
            let (config, warnings) = try GHCConfig.load(ConfigDocument.load(path: path))
            #expect(warnings.isEmpty)
            #expect(config.effectiveValues == GHCConfig().effectiveValues)
            #expect(FileStore.permissions(of: path) == 0o600)
            #expect(dir.read("sub/config.yaml")?.contains("# --- Server ---") == true)
            #expect(throws: ConfigError.self) { try ConfigEditor(path: path).writeDefaults(force: false) }
            let forced = try ConfigEditor(path: path).writeDefaults(force: true)
            #expect(forced.backupPath != nil)
        }
    }
}
