import GHCCore

/// Writes `man/ghc-api.1` (roff) from the command specs.
package struct ManPageWriter: Sendable {
    /// The root command.
    package let root: CommandSpec

    /// Creates a writer for a spec tree.
    package init(root: CommandSpec) {
        self.root = root
    }

    /// The whole man page.
    package func render() -> String {
        var out = """
            .TH GHC-API 1 "" "ghc-api \(GHCVersion.current)" "User Commands"
            .SH NAME
            ghc-api \\- \(escape(root.summary))
            .SH SYNOPSIS
            .B ghc-api
            [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGS\\fR]
            .SH DESCRIPTION
            \(escape(root.discussion ?? root.summary))
            .SH GLOBAL OPTIONS

            """
        for flag in root.flags { out += option(flag) }
        out += ".SH COMMANDS\n"
        for command in root.subcommands { out += section(command, path: [command.name]) }
        out += """
            .SH ENVIRONMENT
            .TP
            .B GHC_API_CONFIG_DIR
            The config directory (default \\fI~/.ghc-api\\fR).
            .TP
            .B GITHUB_TOKEN
            A GitHub token used instead of the saved one.
            .TP
            .B NO_COLOR
            Turns colour off.
            .SH FILES
            .TP
            .I ~/.ghc-api/config.yaml
            The configuration.
            .TP
            .I ~/.ghc-api/github_token.txt
            The saved GitHub token (mode 0600).
            .SH EXIT STATUS
            0 on success, 1 on failure, 64 for a command line that does not fit.

            """
        return out
    }

    private func section(_ command: CommandSpec, path: [String]) -> String {
        var out = ".SS \"\(path.joined(separator: " "))"
        for positional in command.positionals { out += " " + positional.usage }
        out += "\"\n\(escape(command.summary))\n"
        if let discussion = command.discussion { out += ".PP\n\(escape(discussion))\n" }
        for flag in command.flags { out += option(flag) }
        for example in command.examples {
            out += ".PP\n.B ghc-api \(escape(example.arguments))\n.br\n\(escape(example.explanation))\n"
        }
        for sub in command.subcommands { out += section(sub, path: path + [sub.name]) }
        return out
    }

    private func option(_ flag: FlagSpec) -> String {
        var names = "\\fB\\-\\-\(flag.long)\\fR"
        if let short = flag.short { names = "\\fB\\-\(short)\\fR, " + names }
        if let value = flag.value { names += " \\fI\(escape(value.placeholder))\\fR" }
        var help = escape(flag.help)
        if let defaultDescription = flag.defaultDescription { help += " (default: \(escape(defaultDescription)))" }
        return ".TP\n\(names)\n\(help)\n"
    }

    private func escape(_ text: String) -> String {
        var result = text.replacingAll("\\", with: "\\e").replacingAll("-", with: "\\-")
        if result.hasPrefix(".") || result.hasPrefix("'") { result = "\\&" + result }
        return result.replacingAll("\n.", with: "\n\\&.")
    }
}
