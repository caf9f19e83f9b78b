import Testing

@testable import GHCCLI

@Suite struct ArgumentParserTests {
    let parser = ArgumentParser(root: CommandTable.root)

    private func run(_ words: [String]) throws -> ParsedArguments {
        guard case .run(_, let parsed) = try parser.parse(words) else {
            Issue.record("expected a command to run for \(words)")
            return ParsedArguments(path: [])
        }
        return parsed
    }

    @Test func valuesBySpaceEqualsAndGlobalFlagAnywhere() throws {
        let first = try run(["config", "set", "port", "9000", "--config", "a.yaml"])
        #expect(first.path == ["config", "set"])
        #expect(first.positionals == ["port", "9000"])
        #expect(first.value("config") == "a.yaml")
        let second = try run(["-c=b.yaml", "config", "get", "port"])
        #expect(second.value("config") == "b.yaml")
        let third = try run(["-cc.yaml", "models", "--json"])
        #expect(third.value("config") == "c.yaml")
        #expect(third.has("json"))
    }

    @Test func doubleDashEndsOptions() throws {
        let parsed = try run(["config", "set", "system_prompt_add", "--", "--not-a-flag"])
        #expect(parsed.positionals == ["system_prompt_add", "--not-a-flag"])
    }

    @Test func helpAndVersionAreRecognisedEverywhere() throws {
        guard case .help(let path) = try parser.parse(["auth", "login", "--help"]) else {
            Issue.record("no help")
            return
        }
        #expect(path == ["auth", "login"])
        guard case .help(let group) = try parser.parse(["config"]) else {
            Issue.record("a group without a command shows its help")
            return
        }
        #expect(group == ["config"])
        guard case .help(let named) = try parser.parse(["help", "auth", "status"]) else {
            Issue.record("no help")
            return
        }
        #expect(named == ["auth", "status"])
        guard case .version(verbose: false) = try parser.parse(["--version"]) else {
            Issue.record("no version")
            return
        }
        guard case .version(verbose: true) = try parser.parse(["--version", "--verbose"]) else {
            Issue.record("no verbose version")
            return
        }
        #expect(throws: UsageError.self) { try parser.parse(["--verbose"]) }
    }

    @Test(arguments: [
        (["conifg"], UsageError.unknownCommand("conifg", path: [], suggestion: "config")),
        (["auth", "logn"], UsageError.unknownCommand("logn", path: ["auth"], suggestion: "login")),
        (["models", "--jsn"], UsageError.unknownFlag("--jsn", path: ["models"], suggestion: "--json")),
        (["models", "--json=yes"], UsageError.unexpectedValue(flag: "--json", path: ["models"])),
        (["models", "-c"], UsageError.missingValue(flag: "-c", path: ["models"])),
        (["config", "get"], UsageError.missingArgument("KEY", path: ["config", "get"])),
        (["config", "get", "a", "b"], UsageError.extraArgument("b", path: ["config", "get"])),
        (
            ["completions", "tcsh"],
            UsageError.invalidValue(flag: "SHELL", value: "tcsh", expected: "one of bash, zsh, fish", path: ["completions"])
        ),
        (["models", "--json", "--json"], UsageError.repeatedFlag("--json", path: ["models"])),
    ])
    func mistakesAreUsageErrors(words: [String], expected: UsageError) {
        #expect(throws: expected) { try parser.parse(words) }
    }

    @Test func usageErrorsPointAtTheRightHelp() {
        #expect(UsageError.missingArgument("KEY", path: ["config", "get"]).hint == "run 'ghc-api help config get' for usage")
    }
}

@Suite struct CommandSpecTableTests {
    private func all(_ spec: CommandSpec, _ path: [String] = []) -> [([String], CommandSpec)] {
        [(path, spec)] + spec.subcommands.flatMap { all($0, path + [$0.name]) }
    }

    @Test func everyCommandIsDocumentedRunnableAndUnambiguous() {
        for (path, spec) in all(CommandTable.root) {
            #expect(!spec.summary.isEmpty, "\(path) has no summary")
            #expect(spec.handler != nil || !spec.subcommands.isEmpty, "\(path) does nothing")
            let longs = (spec.flags + (path.isEmpty ? [] : CommandTable.root.flags)).map(\.long)
            #expect(Set(longs).count == longs.count, "\(path) repeats a flag")
            let shorts = (spec.flags + (path.isEmpty ? [] : CommandTable.root.flags)).compactMap(\.short)
            #expect(Set(shorts).count == shorts.count && !shorts.contains("h"), "\(path) repeats a short flag")
            let names = spec.subcommands.map(\.name)
            #expect(Set(names).count == names.count)
        }
    }

    @Test func helpListsEveryCommandAndEveryFlag() {
        let formatter = HelpFormatter(root: CommandTable.root)
        for (path, spec) in all(CommandTable.root) {
            let text = formatter.help(for: spec, path: path)
            for sub in spec.subcommands { #expect(text.contains("  \(sub.name)  ") || text.contains("  \(sub.name) ")) }
            for flag in spec.flags { #expect(text.contains("--\(flag.long)")) }
            #expect(text.contains("Usage: " + (["ghc-api"] + path).joined(separator: " ")))
        }
    }
}
