import GHCCore

/// What a command line asks for.
package enum Invocation: Sendable {
    /// Run the command at `spec` with `arguments`.
    case run(CommandSpec, ParsedArguments)
    /// Show the help of the command at `path`.
    case help([String])
    /// Show the version; `verbose` adds the build's commit, date, Swift version and dependencies.
    case version(verbose: Bool)
}

/// The hand-rolled parser: walks the command specs, accepting `--flag value`, `--flag=value`, grouped short
/// switches (`-vj`), a short flag's value attached (`-p8080`) or next, and `--` to end options.
package struct ArgumentParser: Sendable {
    /// The root command.
    package let root: CommandSpec

    /// Creates a parser for a spec tree.
    package init(root: CommandSpec) {
        self.root = root
    }

    /// Parses the words after the program name.
    package func parse(_ words: [String]) throws(UsageError) -> Invocation {
        var command = root
        var path: [String] = []
        var values: [String: [String]] = [:]
        var positionals: [String] = []
        var wantsHelp = false
        var versionVerbose = false
        var wantsVersion = false
        var optionsEnded = false
        var index = 0

        func flags() -> [FlagSpec] { command.flags + (path.isEmpty ? [] : root.flags) }

        func store(_ flag: FlagSpec, _ value: String?, spelled: String) throws(UsageError) {
            if !flag.repeatable, values[flag.long] != nil { throw .repeatedFlag(spelled, path: path) }
            guard let kind = flag.value else {
                values[flag.long, default: []].append("")
                return
            }
            guard let value else { throw .missingValue(flag: spelled, path: path) }
            try check(value, kind, spelled: spelled, path: path)
            values[flag.long, default: []].append(value)
        }

        while index < words.count {
            let word = words[index]
            index += 1
            if optionsEnded || word == "-" || !word.hasPrefix("-") || Int(word) != nil {
                if positionals.isEmpty, !command.subcommands.isEmpty, !optionsEnded {
                    if word == "help", path.isEmpty {
                        return .help(Array(words[index...]).filter { !$0.hasPrefix("-") })
                    }
                    guard let next = command.subcommand(word) else {
                        throw .unknownCommand(
                            word,
                            path: path,
                            suggestion: Suggestion.closest(
                                to: word,
                                among: command.subcommands.map(\.name) + (path.isEmpty ? ["help"] : [])
                            )
                        )
                    }
                    command = next
                    path.append(word)
                    continue
                }
                positionals.append(word)
                continue
            }
            if word == "--" {
                optionsEnded = true
                continue
            }
            if word == "--help" || word == "-h" {
                wantsHelp = true
                continue
            }
            if word == "--version", path.isEmpty {
                wantsVersion = true
                continue
            }
            // At the root, --verbose (or -v) only goes with --version: `ghc-api --version --verbose`.
            if word == "--verbose" || word == "-v", path.isEmpty, words.contains("--version") {
                versionVerbose = true
                continue
            }
            if word.hasPrefix("--") {
                let body = word.dropFirst(2)
                let name = String(body.prefix { $0 != "=" })
                let attached = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
                guard let flag = flags().first(where: { $0.long == name }) else {
                    let names = flags().map { "--" + $0.long } + ["--help"]
                    throw .unknownFlag("--\(name)", path: path, suggestion: Suggestion.closest(to: "--\(name)", among: names))
                }
                if flag.value == nil {
                    if attached != nil { throw .unexpectedValue(flag: "--\(name)", path: path) }
                    try store(flag, nil, spelled: "--\(name)")
                } else if let attached {
                    try store(flag, attached, spelled: "--\(name)")
                } else {
                    guard index < words.count else { throw .missingValue(flag: "--\(name)", path: path) }
                    try store(flag, words[index], spelled: "--\(name)")
                    index += 1
                }
                continue
            }
            // A cluster of short flags: switches, then at most one flag with a value (attached or next).
            var letters = Substring(word.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                if letter == "h" {
                    wantsHelp = true
                    continue
                }
                guard let flag = flags().first(where: { $0.short == letter }) else {
                    throw .unknownFlag("-\(letter)", path: path, suggestion: nil)
                }
                if flag.value == nil {
                    try store(flag, nil, spelled: "-\(letter)")
                    continue
                }
                if !letters.isEmpty {
                    try store(flag, String(letters.hasPrefix("=") ? letters.dropFirst() : letters), spelled: "-\(letter)")
                    letters = ""
                } else {
                    guard index < words.count else { throw .missingValue(flag: "-\(letter)", path: path) }
                    try store(flag, words[index], spelled: "-\(letter)")
                    index += 1
                }
            }
        }

        if wantsVersion, path.isEmpty { return .version(verbose: versionVerbose) }
        if wantsHelp || command.handler == nil { return .help(path) }
        try checkPositionals(positionals, of: command, path: path)
        return .run(command, ParsedArguments(path: path, values: values, positionals: positionals))
    }

    /// The spec at a path of command words, as far as the words name commands.
    package func spec(at path: [String]) -> (spec: CommandSpec, path: [String]) {
        var command = root
        var resolved: [String] = []
        for word in path {
            guard let next = command.subcommand(word) else { break }
            command = next
            resolved.append(word)
        }
        return (command, resolved)
    }

    private func check(_ value: String, _ kind: FlagValue, spelled: String, path: [String]) throws(UsageError) {
        switch kind {
        case .text, .path:
            return
        case .integer(_, let range):
            guard let number = Int(value), range.contains(number) else {
                throw .invalidValue(
                    flag: spelled,
                    value: value,
                    expected: "a whole number from \(range.lowerBound) to \(range.upperBound)",
                    path: path
                )
            }
        case .choice(let options):
            guard options.contains(value) else {
                throw .invalidValue(flag: spelled, value: value, expected: "one of " + options.joined(separator: ", "), path: path)
            }
        }
    }

    private func checkPositionals(_ values: [String], of command: CommandSpec, path: [String]) throws(UsageError) {
        let specs = command.positionals
        if values.count > specs.count, specs.last?.repeats != true { throw .extraArgument(values[specs.count], path: path) }
        for (offset, spec) in specs.enumerated() where offset >= values.count && !spec.optional {
            throw .missingArgument(spec.name, path: path)
        }
        for (offset, value) in values.enumerated() {
            let spec = specs[min(offset, specs.count - 1)]
            if !spec.choices.isEmpty, !spec.choices.contains(value) {
                throw .invalidValue(flag: spec.name, value: value, expected: "one of " + spec.choices.joined(separator: ", "), path: path)
            }
        }
    }
}
