import GHCStandIn
import ServiceLifecycle
import UnixSignals

/// `ghc-api stand-in`: the stand-in GitHub and Copilot upstream as a process of its own.
enum StandInCommand {
    /// The `stand-in` command: its flag, example and handler.
    static let spec = CommandSpec(
        "stand-in",
        summary: "Run a stand-in GitHub and Copilot upstream (for tests, benchmarks and trying clients)",
        discussion:
            "Speaks GitHub's device flow, token exchange and /user, and Copilot's /models, /chat/completions, /responses and /embeddings with deterministic answers. Point github_api_base_url and github_base_url at it. It accepts the GitHub token it prints.",
        flags: [.option("port", short: "p", .integer("PORT", 0...65535), "Port to listen on (0 picks a free one)", default: "0")],
        examples: [CommandExample("stand-in -p 9100", "Run it on 127.0.0.1:9100")],
        handler: run
    )

    /// Starts the stand-in upstream, prints its URL and the token it accepts, and runs until SIGINT or SIGTERM.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let upstream = try await StandInUpstream.start(port: arguments.integer("port") ?? 0)
        context.stdout.line("stand-in upstream listening on \(upstream.baseURL)")
        context.stdout.line("GitHub token it accepts: \(StandInScenario.githubToken)")
        let signals = await UnixSignalsSequence(trapping: .sigint, .sigterm)
        for await _ in signals { break }
        await upstream.stop()
        return .success
    }
}
