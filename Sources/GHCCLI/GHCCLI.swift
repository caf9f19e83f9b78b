import GHCCore
import GHCUpstream

/// The command-line front end: parses the words, runs the command, maps every failure to an exit code
/// and one line on standard error.
package enum GHCCLI {
    /// Runs `ghc-api` with `arguments` (without the program name) and returns the exit status.
    package static func run(_ arguments: [String], context: CommandContext) async -> ExitCode {
        var arguments = arguments
        if let legacy = LegacyInvocation.translate(arguments, stdoutIsTerminal: context.stdoutIsTerminal, environment: context.environment)
        {
            context.stderr.line(context.errorStyle.dim("ghc-api: note: \(legacy.note)"))
            arguments = legacy.arguments
        }
        let parser = ArgumentParser(root: CommandTable.root)
        let invocation: Invocation
        do throws(UsageError) {
            invocation = try parser.parse(arguments)
        } catch {
            context.stderr.line("ghc-api: \(error.description)")
            context.stderr.line(context.errorStyle.dim("hint: \(error.hint)"))
            return .usage
        }
        switch invocation {
        case .version(let verbose):
            context.stdout.write(VersionReport.text(verbose: verbose))
            return .success
        case .help(let path):
            let (spec, resolved) = parser.spec(at: path)
            if resolved.count < path.count {
                let unknown = path[resolved.count]
                let error = UsageError.unknownCommand(
                    unknown,
                    path: resolved,
                    suggestion: Suggestion.closest(to: unknown, among: spec.subcommands.map { $0.name })
                )
                context.stderr.line("ghc-api: \(error.description)")
                return .usage
            }
            context.stdout.write(HelpFormatter(root: CommandTable.root).help(for: spec, path: resolved, style: context.style))
            return .success
        case .run(let spec, let parsed):
            do {
                return try await spec.handler?(parsed, context) ?? .usage
            } catch let error as UsageError {
                context.stderr.line("ghc-api: \(error.description)")
                context.stderr.line(context.errorStyle.dim("hint: \(error.hint)"))
                return .usage
            } catch {
                context.stderr.line("ghc-api: " + Redaction.scrub(String(describing: error)))
                return .failure
            }
        }
    }
}
