import GHCAgentSetup
import GHCCore
import Testing

/// Settings files are edited in place: only the named values change, everything else stays byte for byte.
@Suite struct JSONTextEditorTests {
    private let variables = [
        (key: "ANTHROPIC_BASE_URL", value: "http://127.0.0.1:8313"), (key: "ANTHROPIC_MODEL", value: "claude-opus-5.5"),
    ]

    @Test func anExistingEnvKeepsItsOtherMembersCommentsAndFormatting() throws {
        let old = """
            {
              // my settings
              "model": "opus",
              "env": {
                "FOO": "bar",   /* keep me */
                "ANTHROPIC_MODEL": "old"
              },
              "permissions": {"allow": ["Bash(ls:*)"]}
            }

            """
        let new = try JSONTextEditor.setting(variables, in: "env", of: old)
        #expect(
            new == """
                {
                  // my settings
                  "model": "opus",
                  "env": {
                    "FOO": "bar",   /* keep me */
                    "ANTHROPIC_MODEL": "claude-opus-5.5",
                    "ANTHROPIC_BASE_URL": "http://127.0.0.1:8313"
                  },
                  "permissions": {"allow": ["Bash(ls:*)"]}
                }

                """
        )
        #expect(try JSONTextEditor.setting(variables, in: "env", of: new) == new)
        let parsed = try JSONParser.parse(Array(JSONTextEditor.plainJSON(new).utf8))
        #expect(parsed["env"]?["FOO"] == "bar")
        #expect(parsed["permissions"]?["allow"] == ["Bash(ls:*)"])
    }

    @Test func aMissingEnvIsAddedAtTheEndWithTheFilesIndentation() throws {
        let old = "{\n    \"theme\": \"dark\",\n    \"odd\": [1, 2,\n        3]\n}\n"
        let new = try JSONTextEditor.setting(variables, in: "env", of: old)
        #expect(
            new
                == "{\n    \"theme\": \"dark\",\n    \"odd\": [1, 2,\n        3],\n    \"env\": {\n      \"ANTHROPIC_BASE_URL\": \"http://127.0.0.1:8313\",\n      \"ANTHROPIC_MODEL\": \"claude-opus-5.5\"\n    }\n}\n"
        )
    }

    @Test func emptyFilesEmptyObjectsAndTrailingCommasWork() throws {
        let fresh = try JSONTextEditor.setting(variables, in: "env", of: "")
        #expect(try JSONParser.parse(Array(fresh.utf8))["env"]?["ANTHROPIC_MODEL"] == "claude-opus-5.5")
        let empty = try JSONTextEditor.setting(variables, in: "env", of: "{}")
        #expect(try JSONParser.parse(Array(empty.utf8))["env"]?["ANTHROPIC_BASE_URL"] == "http://127.0.0.1:8313")
        let trailing = try JSONTextEditor.setting(variables, in: "env", of: "{\n  \"env\": {\n    \"A\": \"1\",\n  },\n}\n")
        let parsed = try JSONParser.parse(Array(JSONTextEditor.plainJSON(trailing).utf8))
        #expect(parsed["env"]?["A"] == "1")
        #expect(parsed["env"]?["ANTHROPIC_MODEL"] == "claude-opus-5.5")
    }

    @Test func documentsThatAreNotJSONObjectsAreRefused() {
        #expect(throws: JSONTextEditor.Failure.self) { try JSONTextEditor.setting(variables, in: "env", of: "[1, 2]") }
        #expect(throws: JSONTextEditor.Failure.self) { try JSONTextEditor.setting(variables, in: "env", of: "{\"env\": \"x\"}") }
        #expect(throws: JSONTextEditor.Failure.self) { try JSONTextEditor.setting(variables, in: "env", of: "{\"a\": 1") }
    }
}

/// Codex's TOML is edited by lines: comments, other tables and `[projects.*]` stay.
@Suite struct TOMLTextEditorTests {
    private func edit(_ text: String) throws -> String {
        try TOMLTextEditor.setting(
            top: [(key: "model_provider", value: "ghc-api"), (key: "model", value: "gpt-5.3-codex")],
            table: ["model_providers", "ghc-api"],
            [(key: "base_url", value: "http://127.0.0.1:8313/v1"), (key: "wire_api", value: "responses")],
            in: text
        )
    }

    @Test func topKeysAreReplacedInPlaceAndTheTableGoesBeforeProjects() throws {
        let old = """
            # Codex settings
            model = "o3"  # was this
            approval_policy = "on-request"

            [tui]
            theme = "dark"

            [projects."/home/me/app"]
            trust_level = "trusted"

            """
        let new = try edit(old)
        #expect(
            new == """
                # Codex settings
                model = "gpt-5.3-codex" # was this
                approval_policy = "on-request"
                model_provider = "ghc-api"

                [tui]
                theme = "dark"

                [model_providers.ghc-api]
                base_url = "http://127.0.0.1:8313/v1"
                wire_api = "responses"

                [projects."/home/me/app"]
                trust_level = "trusted"

                """
        )
        #expect(try edit(new) == new)
    }

    @Test func anExistingTableIsUpdatedAndMultiLineValuesAreNotMistakenForKeys() throws {
        let old = """
            instructions = \"\"\"
            model = "not a key"
            \"\"\"
            args = [
              "x = 1",
            ]

            [model_providers.'ghc-api']
            base_url = "http://old/v1"
            name = "mine"

            """
        let new = try edit(old)
        #expect(new.contains("model = \"not a key\"\n"))
        #expect(
            new.contains(
                "[model_providers.'ghc-api']\nbase_url = \"http://127.0.0.1:8313/v1\"\nname = \"mine\"\nwire_api = \"responses\"\n"
            )
        )
        #expect(new.hasPrefix("instructions"))
        #expect(new.contains("]\nmodel_provider = \"ghc-api\"\nmodel = \"gpt-5.3-codex\"\n"))
    }

    @Test func valuesAreEscapedAndInlineProviderTablesAreLeftToTheUser() throws {
        let fresh = try TOMLTextEditor.setting(top: [(key: "model", value: "a\"b\\c")], table: ["t"], [(key: "k", value: "v")], in: "")
        #expect(fresh == "model = \"a\\\"b\\\\c\"\n\n[t]\nk = \"v\"\n")
        #expect(throws: TOMLTextEditor.Failure.self) { try edit("model_providers = { ghc-api = { base_url = \"x\" } }\n") }
    }
}

/// Objects written on one line stay on one line.
@Suite struct JSONInlineObjectTests {
    @Test func membersOnTheBracesLineAreAddedOnThatLine() throws {
        let new = try JSONTextEditor.setting([(key: "B", value: "2")], in: "env", of: "{\n  \"env\": {\"A\": \"1\"}\n}\n")
        #expect(new == "{\n  \"env\": {\"A\": \"1\", \"B\": \"2\"}\n}\n")
    }
}
