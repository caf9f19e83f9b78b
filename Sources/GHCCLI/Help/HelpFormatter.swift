import GHCCore

/// Renders `--help` pages from command specs.
package struct HelpFormatter: Sendable {
    /// The root command.
    package let root: CommandSpec

    /// Creates a formatter for a spec tree.
    package init(root: CommandSpec) {
        self.root = root
    }

    /// The help page of the command at `path` (already resolved to existing commands).
    package func help(for spec: CommandSpec, path: [String], style: TextStyle = TextStyle(enabled: false)) -> String {
        let invocation = (["ghc-api"] + path).joined(separator: " ")
        var out = path.isEmpty ? "ghc-api \(GHCVersion.current): \(root.summary)\n\n" : "\(spec.summary)\n\n"
        out += style.bold("Usage:") + " " + usage(spec, invocation: invocation) + "\n"
        if let discussion = spec.discussion { out += "\n" + discussion + "\n" }
        if !spec.subcommands.isEmpty {
            out += "\n" + style.bold("Commands:") + "\n"
            let width = spec.subcommands.map(\.name.count).max() ?? 0
            for command in spec.subcommands {
                out += "  " + command.name.padding(width) + "  " + command.summary + "\n"
            }
            if path.isEmpty { out += "  " + "help".padding(width) + "  Show help for a command\n" }
        }
        if !spec.positionals.isEmpty {
            out += "\n" + style.bold("Arguments:") + "\n"
            let width = spec.positionals.map(\.name.count).max() ?? 0
            for positional in spec.positionals {
                var line = positional.help
                if !positional.choices.isEmpty { line += " (" + positional.choices.joined(separator: ", ") + ")" }
                out += "  " + positional.name.padding(width) + "  " + line + "\n"
            }
        }
        let flags =
            spec.flags + (path.isEmpty ? [] : root.flags) + [FlagSpec.toggle("help", short: "h", "Show this help")]
            + (path.isEmpty ? [FlagSpec.toggle("version", "Show the version")] : [])
        out += "\n" + style.bold("Options:") + "\n"
        let width = flags.map(\.signature.count).max() ?? 0
        for flag in flags {
            var line = flag.help
            if let defaultDescription = flag.defaultDescription { line += " (default: \(defaultDescription))" }
            out += "  " + flag.signature.padding(width) + "  " + line + "\n"
        }
        if !spec.examples.isEmpty {
            out += "\n" + style.bold("Examples:") + "\n"
            for example in spec.examples {
                out += "  ghc-api \(example.arguments)\n      \(example.explanation)\n"
            }
        }
        if !spec.subcommands.isEmpty {
            out += "\nRun '\(invocation) COMMAND --help' for more on a command.\n"
        }
        return out
    }

    /// The one-line usage of a command.
    func usage(_ spec: CommandSpec, invocation: String) -> String {
        var parts = [invocation]
        if !spec.subcommands.isEmpty { parts.append("COMMAND") }
        if !spec.flags.isEmpty || spec.subcommands.isEmpty { parts.append("[OPTIONS]") }
        for positional in spec.positionals {
            parts.append(positional.usage)
        }
        return parts.joined(separator: " ")
    }
}

extension String {
    /// The string padded with spaces to `width` characters.
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
