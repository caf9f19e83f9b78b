/// `ghc-api completions SHELL` and `ghc-api manpage`: generated from the same specs as `--help`.
enum DocsCommands {
    /// `ghc-api completions SHELL`: prints the completion script for that shell.
    static let completions: CommandSpec = CommandSpec(
        "completions",
        summary: "Print the shell completion script for bash, zsh or fish",
        positionals: [PositionalSpec("SHELL", "The shell", choices: CompletionWriter.shells)],
        examples: [
            CommandExample("completions bash > /etc/bash_completion.d/ghc-api", "Install bash completion"),
            CommandExample("completions fish > ~/.config/fish/completions/ghc-api.fish", "Install fish completion"),
        ],
        handler: { arguments, context in
            context.stdout.write(CompletionWriter(root: CommandTable.root).render(shell: arguments.positional(0) ?? "bash"))
            return .success
        }
    )

    /// `ghc-api manpage`: prints the man page as roff.
    static let manpage: CommandSpec = CommandSpec(
        "manpage",
        summary: "Print the man page (roff)",
        examples: [CommandExample("manpage | man -l -", "Read it")],
        handler: { _, context in
            context.stdout.write(ManPageWriter(root: CommandTable.root).render())
            return .success
        }
    )
}
