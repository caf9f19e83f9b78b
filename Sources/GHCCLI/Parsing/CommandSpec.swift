/// What a flag's value must look like.
package enum FlagValue: Sendable, Equatable {
    /// Any text; the placeholder names it in help (`FILE`, `URL`).
    case text(String)
    /// A file path (shells complete files).
    case path(String)
    /// A whole number within bounds.
    case integer(String, ClosedRange<Int>)
    /// One of the listed words.
    case choice([String])

    /// The placeholder shown in help.
    var placeholder: String {
        switch self {
        case .text(let name), .path(let name), .integer(let name, _): name
        case .choice(let options): options.joined(separator: "|")
        }
    }
}

/// One `--flag` of a command.
package struct FlagSpec: Sendable {
    /// The long name without dashes.
    package let long: String
    /// The one-letter name, if any.
    package let short: Character?
    /// The value it takes; `nil` for a switch.
    package let value: FlagValue?
    /// One line of help.
    package let help: String
    /// The default shown in help, if any.
    package let defaultDescription: String?
    /// Whether it may be given more than once.
    package let repeatable: Bool

    /// A switch such as `--json`.
    package static func toggle(_ long: String, short: Character? = nil, _ help: String) -> FlagSpec {
        FlagSpec(long: long, short: short, value: nil, help: help, defaultDescription: nil, repeatable: false)
    }

    /// A flag with a value such as `--port 8313`.
    package static func option(
        _ long: String,
        short: Character? = nil,
        _ value: FlagValue,
        _ help: String,
        default defaultDescription: String? = nil,
        repeatable: Bool = false
    ) -> FlagSpec {
        FlagSpec(long: long, short: short, value: value, help: help, defaultDescription: defaultDescription, repeatable: repeatable)
    }

    /// `-p, --port PORT` as help shows it.
    var signature: String {
        var text = short.map { "-\($0), " } ?? "    "
        text += "--\(long)"
        if let value { text += " \(value.placeholder)" }
        return text
    }
}

/// One positional argument.
package struct PositionalSpec: Sendable {
    /// The name shown in usage (`KEY`, `SHELL`).
    package let name: String
    /// One line of help.
    package let help: String
    /// Whether it may be left out.
    package let optional: Bool
    /// The words it accepts, when fixed (shells complete them).
    package let choices: [String]
    /// Whether it takes any number of words (the last positional only).
    package let repeats: Bool

    /// Creates a positional.
    package init(_ name: String, _ help: String, optional: Bool = false, choices: [String] = [], repeats: Bool = false) {
        self.name = name
        self.help = help
        self.optional = optional
        self.choices = choices
        self.repeats = repeats
    }

    /// How usage lines show it: `KEY`, `[KEY]` or `[KEY...]`.
    package var usage: String {
        let word = name + (repeats ? "..." : "")
        return optional ? "[\(word)]" : word
    }
}

/// One example in help and the man page.
package struct CommandExample: Sendable {
    /// The command line, without the program name.
    package let arguments: String
    /// What it does.
    package let explanation: String

    /// Creates an example.
    package init(_ arguments: String, _ explanation: String) {
        self.arguments = arguments
        self.explanation = explanation
    }
}

/// What runs a command.
package typealias CommandHandler = @Sendable (ParsedArguments, CommandContext) async throws -> ExitCode

/// A command or command group, declared once; help, parsing, the man page and completions all come from it.
package struct CommandSpec: Sendable {
    /// The word that selects it.
    package let name: String
    /// One line on what it does.
    package let summary: String
    /// More text for its own help page.
    package let discussion: String?
    /// Its flags (the root's flags are accepted everywhere).
    package let flags: [FlagSpec]
    /// Its positionals.
    package let positionals: [PositionalSpec]
    /// Its subcommands, for a group.
    package let subcommands: [CommandSpec]
    /// Examples.
    package let examples: [CommandExample]
    /// What runs it; `nil` for a group that only holds subcommands.
    package let handler: CommandHandler?

    /// Creates a command.
    package init(
        _ name: String,
        summary: String,
        discussion: String? = nil,
        flags: [FlagSpec] = [],
        positionals: [PositionalSpec] = [],
        subcommands: [CommandSpec] = [],
        examples: [CommandExample] = [],
        handler: CommandHandler? = nil
    ) {
        self.name = name
        self.summary = summary
        self.discussion = discussion
        self.flags = flags
        self.positionals = positionals
        self.subcommands = subcommands
        self.examples = examples
        self.handler = handler
    }

    /// The subcommand named `name`.
    func subcommand(_ name: String) -> CommandSpec? {
        subcommands.first { $0.name == name }
    }
}
