import GHCAgentSetup
import GHCCore
import GHCSync
import Synchronization

/// `ghc-api agent install`: install or update Claude Code, Codex, Copilot CLI and the ACP adapters with npm.
enum AgentInstall {
    /// The `agent install` command.
    static let spec = CommandSpec(
        "install",
        summary: "Install or update Claude Code, Codex, Copilot CLI and the ACP adapters with npm",
        discussion:
            "Runs npm install -g for each tool named (all when none is): claude-code (@anthropic-ai/claude-code), codex (@openai/codex), copilot-cli (@github/copilot) and acp-adapters (@zed-industries/claude-agent-acp and @zed-industries/codex-acp, which agent chat and the /agent page run). ~/.claude/settings.json and ~/.codex/config.toml are backed up first. Every step is logged to code_agent_install.log in the config directory.",
        flags: [.toggle("dry-run", "Say what would run; run nothing")],
        positionals: [
            PositionalSpec(
                "TOOL",
                "claude-code, codex, copilot-cli or acp-adapters",
                optional: true,
                choices: ToolInstaller.tools.map(\.name),
                repeats: true
            )
        ],
        examples: [
            CommandExample("agent install", "Install or update everything"),
            CommandExample("agent install acp-adapters --dry-run", "What installing the ACP adapters would run"),
        ],
        handler: run
    )

    /// Installs the tools one after another; exit 1 when one fails or npm is missing.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let names = arguments.positionals(from: 0)
        let tools = ToolInstaller.tools.filter { names.isEmpty || names.contains($0.name) }
        let wsl = SyncPlatform.current(environment: context.environment) == .wsl
        guard let npm = ToolInstaller.findNPM(environment: context.environment, wsl: wsl) else { throw SetupError.noNPM }
        let installer = ToolInstaller(npm: npm, logFile: loaded.location.directory + "/code_agent_install.log")
        if arguments.has("dry-run") {
            for tool in tools { context.stdout.line("\(npm) install -g \(tool.packages.joined(separator: " "))") }
            return .success
        }
        installer.log("install started: \(tools.map(\.name).joined(separator: ", "))")
        for (key, backup) in installer.backUpSettings(home: context.home).sorted(by: { $0.key < $1.key }) {
            context.stderr.line(context.errorStyle.dim("backed up \(key) settings to \(backup)"))
        }
        var failed: [String] = []
        for (index, tool) in tools.enumerated() {
            let step = "[\(index + 1)/\(tools.count)] \(tool.name)"
            let spinner = Spinner(context: context, label: step)
            let result = await installer.install(tool) { line, isError in
                spinner.clear()
                if isError { context.stderr.line(context.errorStyle.dim(line)) } else { context.stdout.line(line) }
                spinner.draw()
            }
            spinner.stop()
            if result.returnCode == 0 {
                context.stderr.line(context.errorStyle.green("✓ ") + "\(step) installed")
            } else {
                failed.append(tool.name)
                context.stderr.line(context.errorStyle.red("✗ ") + "\(step) failed (exit \(result.returnCode))")
            }
        }
        context.stderr.line(context.errorStyle.dim("log: \(installer.logFile)"))
        if !failed.isEmpty { throw CommandFailure("could not install \(failed.joined(separator: ", ")); see \(installer.logFile)") }
        return .success
    }
}

/// A one-line spinner with the step's name on a terminal's stderr; silent elsewhere.
final class Spinner: Sendable {
    private static let frames = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"]
    private let context: CommandContext
    private let label: String
    private let frame = Mutex(0)
    private let ticker = Mutex<Task<Void, Never>?>(nil)

    /// Starts spinning (on a terminal).
    init(context: CommandContext, label: String) {
        self.context = context
        self.label = label
        guard context.stderrIsTerminal else {
            context.stderr.line(label)
            return
        }
        draw()
        let task = Task { [weak self] in
            while (try? await Task.sleep(for: .milliseconds(100))) != nil { self?.draw() }
        }
        ticker.withLock { $0 = task }
    }

    /// Redraws the line.
    func draw() {
        guard context.stderrIsTerminal else { return }
        let index = frame.withLock { frame in
            frame = (frame + 1) % Self.frames.count
            return frame
        }
        context.stderr.write("\r\(Self.frames[index]) \(label)")
    }

    /// Clears the line, so output can be written.
    func clear() {
        if context.stderrIsTerminal { context.stderr.write("\r\u{1B}[2K") }
    }

    /// Stops and clears.
    func stop() {
        ticker.withLock { $0?.cancel() }
        clear()
    }
}
