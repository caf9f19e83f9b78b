import Foundation
import GHCAgent
import GHCCore
import Synchronization
import UnixSignals

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ghc-api agent chat`: a session with an ACP agent on the terminal, or one turn for scripts.
enum AgentChat {
    /// The `agent chat` command.
    static let spec = CommandSpec(
        "chat",
        summary: "Talk to an agent: interactively on a terminal, or one turn with --prompt or piped input",
        discussion:
            "Interactive: the agent's answer streams as it comes; tool calls, diffs and plans are shown on stderr; permission questions are asked inline. Ctrl-C cancels the turn, a second Ctrl-C quits; /mode ID and /config ID VALUE change the agent's mode and options; /exit or end of input ends the session. With --prompt or piped input one turn runs, its answer goes to stdout and the exit status says how it ended: 0 end_turn, 2 refusal, 3 max_tokens or max_turn_requests, 130 cancelled, 1 error. @path in a prompt attaches that file. Every session is stored and can be continued with --resume when the agent supports session/load. When agent_use_proxy is on and ghc-api serve listens on this machine, the agent's ANTHROPIC_BASE_URL and OPENAI_BASE_URL point at it, with GHC_API_KEY (else the first of api_keys) as its key.",
        flags: [
            .option(
                "agent",
                short: "a",
                .text("NAME"),
                "claude-code, codex, copilot-cli, or a name from acp_agents",
                default: "claude-code"
            ),
            .option("cwd", .path("DIR"), "The session's working directory", default: "the current directory"),
            .option("add-dir", .path("DIR"), "Another directory the agent may read and write", repeatable: true),
            .toggle("yes", short: "y", "Allow each permission request once, without asking"),
            .toggle("deny", "Reject each permission request, without asking"),
            .option("prompt", short: "p", .text("TEXT"), "Run one turn with this prompt and exit"),
            .option("resume", .text("ID"), "Continue a stored session (a unique id prefix is enough)"),
            .option("mode", .text("MODE"), "Switch the agent to this mode first (e.g. plan, acceptEdits)"),
            .toggle("verbose", short: "v", "Show thoughts, usage, available commands and tool output"),
        ],
        examples: [
            CommandExample("agent chat", "Talk to Claude Code in this directory"),
            CommandExample("agent chat -a codex -p 'Explain @Package.swift' --yes", "One Codex turn about a file, allowing its tools"),
            CommandExample("agent chat --resume 3f2a", "Continue a stored session"),
        ],
        handler: run
    )

    /// Runs the session.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        if arguments.has("yes") && arguments.has("deny") {
            throw UsageError.conflict("--yes and --deny exclude each other", path: arguments.path)
        }
        let loaded = try LoadedConfig.load(arguments, context)
        let places = AgentCommand.places(loaded, context)
        let input = TerminalInput(readLine: context.readLine)
        let interactive = arguments.value("prompt") == nil && TerminalInput.isTerminal
        var prompt = arguments.value("prompt")
        if prompt == nil && !interactive {
            prompt = await input.rest()
            if prompt?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ?? true {
                throw CommandFailure("nothing to ask: give --prompt TEXT, pipe a prompt in, or run on a terminal")
            }
        }
        // Ctrl-C is trapped before the agent starts: a trap set up later, in the watcher's task, left a moment in which
        // Ctrl-C killed the process outright, without closing the session or exiting 130.
        let signals = await UnixSignalsSequence(trapping: .sigint)
        let session = try await open(arguments, context, loaded: loaded, places: places)
        let transcript = AgentTranscript(context: context, verbose: arguments.has("verbose"))
        await session.onIdleEvent { event in
            if case .update(let update) = event { transcript.show(update) }
        }
        let interrupts = Interrupts(session: session)
        let watcher = Task { await interrupts.watch(signals, context) }
        defer { watcher.cancel() }
        let asker = PermissionAsker(context: context, input: input, transcript: transcript, canAsk: TerminalInput.isTerminal)
        if let prompt {
            let result = await turn(prompt, session, transcript, asker, interrupts, context)
            if interrupts.quitting { return await quit(session) }
            await session.close()
            return ExitCode(result.stopReason.exitStatus)
        }
        while true {
            context.stdout.write(context.style.bold("> "))
            guard let line = await input.next() else { break }
            let text = line.trimmingCharacters(in: .whitespaces)
            if text == "/exit" || text == "/quit" { break }
            if text.hasPrefix("/mode ") || text.hasPrefix("/config ") {
                await setting(text, session, context)
                continue
            }
            if text.isEmpty { continue }
            _ = await turn(text, session, transcript, asker, interrupts, context)
            if interrupts.quitting { return await quit(session) }
            if !(await session.isLive) {
                context.stderr.line("ghc-api: the agent has ended")
                await session.close()
                return .failure
            }
        }
        context.stdout.write("\n")
        await session.close()
        return .success
    }

    /// `/mode ID` (`session/set_mode`) and `/config ID VALUE` (`session/set_config_option`) at the prompt.
    private static func setting(_ text: String, _ session: AgentSession, _ context: CommandContext) async {
        let words = text.split(separator: " ", maxSplits: 2).map(String.init)
        do throws(AgentError) {
            if words[0] == "/mode" {
                try await session.setMode(words[1])
                context.stderr.line(context.errorStyle.dim("mode: \(words[1])"))
            } else if words.count == 3 {
                let value: JSONValue = words[2] == "true" ? true : words[2] == "false" ? false : .string(words[2])
                try await session.setConfigOption(words[1], value: value)
                context.stderr.line(context.errorStyle.dim("\(words[1]): \(words[2])"))
            } else {
                context.stderr.line("usage: /config ID VALUE")
            }
        } catch {
            context.stderr.line("ghc-api: " + error.description)
        }
    }

    /// A second Ctrl-C: the session ends and the exit status is 130 (the interrupt handler exits too; whichever
    /// comes first).
    private static func quit(_ session: AgentSession) async -> ExitCode {
        await session.close()
        return ExitCode(130)
    }

    /// Starts or resumes the session, and says which on stderr.
    private static func open(
        _ arguments: ParsedArguments,
        _ context: CommandContext,
        loaded: LoadedConfig,
        places: SessionPlaces
    )
        async throws -> AgentSession
    {
        let catalog = AgentCommand.catalog(loaded, context)
        let stored = try arguments.value("resume").map { try AgentCommand.find($0, in: places.own) }
        let kind = arguments.value("agent") ?? stored?.agentKind ?? "claude-code"
        let directory = try directoryArgument(arguments.value("cwd") ?? stored?.header["working_directory"]?.stringValue, "--cwd")
        let additional = try arguments.allValues("add-dir").map { try directoryArgument($0, "--add-dir") }
        var environment: [String: String] = [:]
        if loaded.config.agentUsesProxy, ListenerProbe.isListening(address: loaded.config.address, port: loaded.config.port) {
            environment = ProxyEnvironment.variables(
                address: loaded.config.address,
                port: loaded.config.port,
                apiKey: loaded.ownClientKey(context)
            )
        }
        let options = SessionOptions(
            agent: try catalog.resolve(kind),
            directory: directory,
            additionalDirectories: additional,
            policy: arguments.has("yes") ? .allow : arguments.has("deny") ? .deny : .ask,
            mode: arguments.value("mode"),
            environment: environment,
            machine: places.machine,
            owner: "cli",
            flushInterval: loaded.config.sessionFlushInterval
        )
        let session: AgentSession
        if let stored {
            session = try await AgentSession.resume(stored, options, folder: places.own)
        } else {
            session = try await AgentSession.start(options, folder: places.own)
            try? places.workDirectories.remember(directory)
        }
        let style = context.errorStyle
        let mode = await session.header["modes"]?["currentModeId"]?.stringValue.map { ", mode \($0)" } ?? ""
        let proxy = environment.isEmpty ? "" : ", through ghc-api at \(environment["ANTHROPIC_BASE_URL"] ?? "")"
        context.stderr.line(
            style.dim(
                "\(stored == nil ? "Session" : "Resumed") \(await session.id) with \(options.agent.title) in \(directory)\(mode)\(proxy)"
            )
        )
        return session
    }

    /// Runs one turn and reports how it ended.
    private static func turn(
        _ text: String,
        _ session: AgentSession,
        _ transcript: AgentTranscript,
        _ asker: PermissionAsker,
        _ interrupts: Interrupts,
        _ context: CommandContext
    ) async -> AgentSession.TurnResult {
        interrupts.turnStarted()
        defer { interrupts.turnEnded() }
        let result: AgentSession.TurnResult
        do {
            result = try await session.prompt(text) { event in
                switch event {
                case .update(let update): transcript.show(update)
                case .permission(let request): await asker.ask(request, session)
                case .permissionResolved: break
                }
            }
        } catch {
            result = AgentSession.TurnResult(stopReason: .error, error: error)
        }
        transcript.endTurn()
        if interrupts.quitting { return result }
        if let error = result.error {
            context.stderr.line("ghc-api: " + error.description)
        } else if result.stopReason != .endTurn {
            context.stderr.line(context.errorStyle.dim("[stop: \(result.stopReason.rawValue)]"))
        }
        return result
    }

    private static func directoryArgument(_ value: String?, _ flag: String) throws -> String {
        let current = FileManager.default.currentDirectoryPath
        let given = value ?? current
        let absolute = WorkspaceAccess.normalized(given.hasPrefix("/") ? given : current + "/" + given)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolute, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw CommandFailure("\(flag): \(given) is not a directory")
        }
        return absolute
    }
}

/// Ctrl-C during a turn cancels it (`session/cancel`); a second one, or one at the prompt, ends the session and exits.
final class Interrupts: Sendable {
    private struct State {
        var running = false
        var cancelling = false
        var quitting = false
    }

    private let session: AgentSession
    private let state = Mutex(State())

    /// Interrupt handling for `session`.
    init(session: AgentSession) {
        self.session = session
    }

    /// A turn began.
    func turnStarted() { state.withLock { $0 = State(running: true, cancelling: false, quitting: $0.quitting) } }

    /// The turn ended.
    func turnEnded() { state.withLock { $0 = State(quitting: $0.quitting) } }

    /// Whether a second Ctrl-C asked to quit.
    var quitting: Bool { state.withLock { $0.quitting } }

    /// Handles the SIGINTs of `signals` until cancelled.
    func watch(_ signals: UnixSignalsSequence, _ context: CommandContext) async {
        for await _ in signals {
            let (running, cancelling) = state.withLock { state in
                defer {
                    if state.running && state.cancelling || !state.running { state.quitting = true }
                    if state.running { state.cancelling = true }
                }
                return (state.running, state.cancelling)
            }
            if running && !cancelling {
                context.stderr.line(context.errorStyle.dim("\ncancelling… (Ctrl-C again to quit)"))
                await session.cancel()
            } else {
                context.stderr.line("")
                await session.close()
                exit(130)
            }
        }
    }
}

/// Asks permission questions on the terminal, listing the agent's options by number.
struct PermissionAsker: Sendable {
    /// Where to ask.
    let context: CommandContext
    /// Where answers come from.
    let input: TerminalInput
    /// The transcript, to end a line of text first.
    let transcript: AgentTranscript
    /// Whether anyone can answer (a terminal); otherwise questions are answered `cancelled`.
    let canAsk: Bool

    /// Asks `request` and answers it in `session`.
    func ask(_ request: PermissionRequest, _ session: AgentSession) async {
        let style = context.errorStyle
        let title = request.toolCall["title"]?.stringValue ?? "a tool call"
        guard canAsk else {
            transcript.note(style.yellow("permission for \(title): no terminal to ask; declined (use --yes or --deny)"))
            await session.answerPermission(request.id, .cancelled)
            return
        }
        let kind = request.toolCall["kind"]?.stringValue.map { " [\($0)]" } ?? ""
        transcript.note(style.bold("Permission: ") + title + style.dim(kind))
        for (index, option) in request.options.enumerated() {
            transcript.note("  \(index + 1)) \(option.name) " + style.dim("(\(option.kind))"))
        }
        while true {
            context.stderr.write("Choose 1-\(request.options.count), or Enter to decline: ")
            guard let line = await input.next()?.trimmingCharacters(in: .whitespaces), !line.isEmpty else {
                await session.answerPermission(request.id, .cancelled)
                return
            }
            if let number = Int(line), request.options.indices.contains(number - 1) {
                await session.answerPermission(request.id, .selected(request.options[number - 1].id))
                return
            }
        }
    }
}
