import Testing

@testable import GHCCLI

/// ghc-api 1.0.x's command lines are rewritten to today's, with a note, and today's are left alone.
@Suite struct LegacyInvocationTests {
    static let rewrites: [([String], Bool, [String: String], [String]?)] = [
        ([], false, [:], ["serve"]),
        ([], true, [:], nil),
        ([], true, ["GHC_API_LEGACY": "1"], ["serve"]),
        (["-p", "9000", "-a", "0.0.0.0"], true, [:], ["serve", "-p", "9000", "-a", "0.0.0.0"]),
        (["--port=9000"], true, [:], ["serve", "--port=9000"]),
        (["-p9000"], true, [:], ["serve", "-p9000"]),
        (["-v"], true, [:], ["--version"]),
        (["-c"], true, [:], ["config", "init"]),
        (["--config"], true, [:], ["config", "init"]),
        (["--github-device-login"], true, [:], ["auth", "login"]),
        (["--delete-github-token"], true, [:], ["auth", "logout"]),
        // Today's spellings are not touched: `-c FILE` before a command names the config file.
        (["-c", "a.yaml", "config", "get", "port"], true, [:], nil),
        (["serve", "-p", "9000"], false, [:], nil),
        (["--version"], true, [:], nil),
        (["models", "-v"], true, [:], nil),
    ]

    @Test(arguments: rewrites)
    func oldCommandLinesBecomeTodays(words: [String], terminal: Bool, environment: [String: String], expected: [String]?) {
        let legacy = LegacyInvocation.translate(words, stdoutIsTerminal: terminal, environment: environment)
        #expect(legacy?.arguments == expected)
        if let legacy, let command = expected?.first(where: { !$0.hasPrefix("-") }) { #expect(legacy.note.contains(command)) }
    }

    @Test func everyRewriteParses() throws {
        let parser = ArgumentParser(root: CommandTable.root)
        for (words, terminal, environment, _) in Self.rewrites {
            guard let legacy = LegacyInvocation.translate(words, stdoutIsTerminal: terminal, environment: environment) else { continue }
            _ = try parser.parse(legacy.arguments)
        }
    }
}
