import GHCCore

/// `ghc-api config …`: show, change and check `config.yaml`.
enum ConfigCommand {
    /// The `config` command and its subcommands.
    static let spec = CommandSpec(
        "config",
        summary: "Show, change and check config.yaml",
        discussion:
            "The file is <config dir>/config.yaml; the directory is GHC_API_CONFIG_DIR, else ~/.ghc-api. Changes keep comments and unknown keys, are written atomically, and back the previous file up as config.yaml.bak-YYYYMMDD-HHMMSS.",
        subcommands: [
            CommandSpec("path", summary: "Print the config file's path", handler: path),
            CommandSpec(
                "show",
                summary: "Print every key with its effective value and where it comes from",
                flags: [.toggle("json", "Print JSON: {config_file, config_dir, exists, values, explicit_keys}")],
                examples: [CommandExample("config show --json", "All effective values as JSON")],
                handler: show
            ),
            CommandSpec(
                "get",
                summary: "Print one key's effective value",
                flags: [.toggle("json", "Print the value as JSON")],
                positionals: [PositionalSpec("KEY", "A key, or a path into one such as model_mappings.exact")],
                examples: [CommandExample("config get port", "Prints 8313 unless the file says otherwise")],
                handler: get
            ),
            CommandSpec(
                "set",
                summary: "Change one key (validated, backed up, written atomically)",
                positionals: [
                    PositionalSpec("KEY", "A key, or a path into one such as model_mappings.exact.sonnet"),
                    PositionalSpec("VALUE", "The value, read as YAML for lists, maps, numbers and booleans"),
                ],
                examples: [
                    CommandExample("config set port 9000", "Listen on port 9000"),
                    CommandExample("config set model_mappings.exact.sonnet claude-sonnet-4.5", "Map one model name"),
                    CommandExample("config set system_prompt_remove '[\"You are Claude Code\"]'", "Set a list"),
                ],
                handler: set
            ),
            CommandSpec(
                "unset",
                summary: "Remove a key so its default applies again",
                positionals: [PositionalSpec("KEY", "A top-level key")],
                handler: unset
            ),
            CommandSpec(
                "init",
                summary: "Write a commented config.yaml with every default",
                flags: [.toggle("force", "Replace an existing file (it is backed up first)")],
                handler: initialize
            ),
            CommandSpec("check", summary: "Report every problem in config.yaml at once; exit 1 if any is an error", handler: check),
            ToolSetupCommands.claudeCode, ToolSetupCommands.codex, ToolSetupCommands.copilotCLI,
        ]
    )

    private static func location(_ arguments: ParsedArguments, _ context: CommandContext) -> ConfigLocation {
        ConfigLocation.resolve(environment: context.environment, home: context.home, configFileOverride: arguments.value("config"))
    }

    /// Prints the config file's path.
    static func path(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        context.stdout.line(location(arguments, context).configFile)
        return .success
    }

    /// Prints the effective values and whether each comes from the file or the default: a table of the active keys, or JSON.
    static func show(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        var values = loaded.config.effectiveValues
        // Client keys are secrets: shown by their prefix only, as `auth status` shows tokens.
        values["api_keys"] = .array(loaded.config.apiKeys.map { .string(Redaction.prefix(of: $0)) })
        let explicit = Set(loaded.config.explicitValues.keys)
        if arguments.has("json") {
            let document: JSONValue = [
                "config_file": .string(loaded.location.configFile), "config_dir": .string(loaded.location.directory),
                "exists": .bool(FileStore.exists(loaded.location.configFile)),
                "values": .object(values), "explicit_keys": .array(explicit.sorted().map(JSONValue.string)),
            ]
            context.stdout.line(document.jsonString(pretty: true))
            return .success
        }
        let style = context.style
        context.stdout.line(style.dim("# \(loaded.location.configFile)"))
        var table = TextTable(headers: ["KEY", "VALUE", "SOURCE"])
        for key in ConfigSchema.keys where key.effect == .active {
            let value = values[key.name] ?? .null
            let text: String
            switch value {
            case .object, .array: text = value.jsonString()
            default: text = value.yamlText.isEmpty ? "\"\"" : value.yamlText
            }
            table.add([key.name, text.count > 70 ? String(text.prefix(69)) + "…" : text, explicit.contains(key.name) ? "file" : "default"])
        }
        context.stdout.write(table.render(style: style))
        return .success
    }

    /// Prints one key's effective value, or a value inside it by dotted path, as YAML text or JSON.
    static func get(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let keyPath = arguments.positional(0) ?? ""
        let parts = keyPath.split(separator: ".").map(String.init)
        guard let top = parts.first, ConfigSchema.key(named: top) != nil else {
            throw ConfigError.unknownKey(keyPath, suggestion: Suggestion.closest(to: keyPath, among: ConfigSchema.keys.map(\.name)))
        }
        var value = loaded.config.value(top)
        for part in parts.dropFirst() {
            guard let next = value[part] else { throw ConfigError.unknownKey(keyPath, suggestion: nil) }
            value = next
        }
        context.stdout.line(arguments.has("json") ? value.jsonString() : value.yamlText)
        return .success
    }

    /// Sets one key in the config file, then reports the file's other problems.
    static func set(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let file = location(arguments, context).configFile
        let key = arguments.positional(0) ?? ""
        let outcome = try ConfigEditor(path: file).set(key, to: arguments.positional(1) ?? "", now: context.now())
        context.stdout.line("Set \(key) in \(file)" + (outcome.backupPath.map { " (previous file saved as \($0))" } ?? ""))
        report(outcome.otherProblems, context)
        return .success
    }

    /// Removes a key from the config file so its default applies.
    static func unset(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let file = location(arguments, context).configFile
        let key = arguments.positional(0) ?? ""
        let outcome = try ConfigEditor(path: file).unset(key, now: context.now())
        context.stdout.line(
            "Removed \(key) from \(file); its default applies" + (outcome.backupPath.map { " (previous file saved as \($0))" } ?? "")
        )
        return .success
    }

    /// `config init`: writes a config file with every default, replacing an existing one only with `--force`.
    static func initialize(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let file = location(arguments, context).configFile
        let outcome = try ConfigEditor(path: file).writeDefaults(force: arguments.has("force"), now: context.now())
        context.stdout.line("Wrote \(file)" + (outcome.backupPath.map { " (previous file saved as \($0))" } ?? ""))
        return .success
    }

    /// Reports every problem in the config file; exits 1 if any is an error.
    static func check(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let file = location(arguments, context).configFile
        let problems = checkProblems(file)
        let errors = problems.filter { $0.severity == .error }.count
        report(problems, context)
        if !FileStore.exists(file) {
            context.stdout.line("\(file) does not exist; every key takes its default (`ghc-api config init` writes one)")
        } else if problems.isEmpty {
            context.stdout.line("\(file): OK")
        } else {
            context.stdout.line("\(file): \(errors) error(s), \(problems.count - errors) warning(s)")
        }
        return errors > 0 ? .failure : .success
    }

    /// Every problem of the file, syntax errors included.
    private static func checkProblems(_ file: String) -> [ConfigProblem] {
        let document: ConfigDocument
        do {
            document = try ConfigDocument.load(path: file)
        } catch {
            if case .invalid(let syntax) = error { return syntax }
            return [ConfigProblem(.error, file: file, line: nil, key: nil, message: error.description)]
        }
        return GHCConfig.check(document).problems
    }

    private static func report(_ problems: [ConfigProblem], _ context: CommandContext) {
        let style = context.errorStyle
        for problem in problems {
            let text = problem.description
            context.stderr.line(problem.severity == .error ? style.red(text) : style.yellow(text))
        }
    }
}
