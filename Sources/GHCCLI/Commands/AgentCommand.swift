import Foundation
import GHCAgent
import GHCAgentSetup
import GHCCore
import GHCSync

/// `ghc-api agent …`: ACP coding agents (Claude Code, Codex, Copilot CLI, and those under `acp_agents`) from the shell.
enum AgentCommand {
    private static let json = FlagSpec.toggle("json", "Print JSON")
    private static let machine = FlagSpec.option("machine", .text("NAME"), "Another machine's sessions (through OneDrive)")

    /// The `agent` command and its subcommands.
    static let spec = CommandSpec(
        "agent",
        summary: "Drive ACP coding agents (Claude Code, Codex, Copilot CLI) from the shell; list and show their sessions",
        discussion:
            "Agents speak the Agent Client Protocol over stdio. claude-code runs claude-agent-acp or claude-code-acp, codex runs codex-acp, copilot-cli runs copilot --acp; others come from acp_agents in config.yaml. Sessions are stored as <id>.jl.b64gz in OneDrive's .ghc-api/agents/<machine>/sessions when sync is on, else in <config dir>/sessions, where the /agent page shows them too.",
        subcommands: [
            CommandSpec(
                "list",
                summary: "Show each known and configured agent (installed? command, version) and the installed tools' versions",
                flags: [json],
                examples: [CommandExample("agent list", "Which agents this machine can run")],
                handler: list
            ),
            CommandSpec(
                "sessions",
                summary: "List the stored sessions of this machine (or another, with --machine)",
                flags: [machine, json],
                examples: [CommandExample("agent sessions --json", "Every session of this machine as JSON")],
                handler: sessions
            ),
            CommandSpec(
                "show",
                summary: "Print one stored session: its header and every turn",
                flags: [machine, json, .toggle("verbose", "Show thoughts, usage and tool output too")],
                positionals: [PositionalSpec("ID", "The session id (a unique prefix is enough)")],
                examples: [CommandExample("agent show 3f2a", "The session whose id starts with 3f2a")],
                handler: show
            ),
            AgentChat.spec,
            AgentInstall.spec,
        ]
    )

    /// Prints the agents.
    static func list(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let entries = catalog(loaded, context).entries()
        let versions = await withTaskGroup(of: (String, String?).self) { group in
            for entry in entries {
                guard let resolved = entry.resolved else { continue }
                group.addTask { (entry.kind, await AgentProbe.version(resolved, directory: context.home)) }
            }
            var versions: [String: String] = [:]
            for await (kind, version) in group { versions[kind] = version }
            return versions
        }
        let software = await SoftwareVersions.rows(path: context.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
        if arguments.has("json") {
            let tools: [JSONValue] = software.map { row in
                [
                    "name": .string(row.name), "program": .string(row.program), "installed": .bool(row.path != nil),
                    "version": row.version.map { .string($0) } ?? .null, "command": row.path.map { .string($0) } ?? .null,
                ]
            }
            let items: [JSONValue] = entries.map { entry in
                var item = entry.json
                item["version"] = versions[entry.kind].map { .string($0) } ?? .null
                return .object(item)
            }
            context.stdout.line(JSONValue.object(["agents": .array(items), "software": .array(tools)]).jsonString(pretty: true))
            return .success
        }
        let style = context.style
        for entry in entries {
            let state = entry.resolved == nil ? style.yellow("missing  ") : style.green("installed")
            let version = versions[entry.kind] ?? (entry.resolved == nil ? "" : "version unknown")
            context.stdout.line("\(entry.kind.padding(14)) \(state)  \(version)" + (entry.configured ? style.dim("  (acp_agents)") : ""))
            if let resolved = entry.resolved {
                context.stdout.line("               " + style.dim(resolved.command.joined(separator: " ")))
            } else {
                context.stdout.line("               " + style.dim(entry.install))
            }
        }
        context.stdout.line("")
        context.stdout.line(style.bold("Tools") + style.dim(" (ghc-api agent install installs or updates them)"))
        for row in software {
            let state = row.path == nil ? style.yellow("missing  ") : style.green("installed")
            context.stdout.line("\(row.program.padding(18)) \(state)  \(row.version ?? "")" + (row.path.map { style.dim("  " + $0) } ?? ""))
        }
        return .success
    }

    /// Prints the stored sessions, newest first.
    static func sessions(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let places = places(loaded, context)
        let folder = try folder(places, arguments)
        let stored = folder.list()
        let registry = registry(loaded, context)
        let local = folder.path == places.own.path
        var items: [[String: JSONValue]] = []
        for session in stored { items.append(await registry.describe(session, local: local, detail: false)) }
        if arguments.has("json") {
            context.stdout.line(
                JSONValue.object(["items": .array(items.map(JSONValue.object)), "total": .int(items.count)]).jsonString(pretty: true)
            )
            return .success
        }
        if items.isEmpty {
            context.stdout.line("No sessions in \(folder.path)")
            return .success
        }
        let style = context.style
        for item in items {
            let status = item["status"]?.stringValue ?? ""
            let shownStatus = status == "active" || status == "elsewhere" ? style.green(status.padding(12)) : style.dim(status.padding(12))
            let folderName = ((item["working_directory"]?.stringValue ?? "") as NSString).lastPathComponent
            context.stdout.line(
                "\((item["session_id"]?.stringValue ?? "").padding(38)) \((item["agent_kind"]?.stringValue ?? "").padding(12)) \(shownStatus) "
                    + "\(String((item["updated_at"]?.stringValue ?? "").prefix(16)).padding(17)) \(item["message_count"]?.intValue ?? 0) msg  \(folderName)"
            )
        }
        return .success
    }

    /// Prints one session.
    static func show(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let folder = try folder(places(loaded, context), arguments)
        let stored = try find(arguments.positional(0) ?? "", in: folder)
        if arguments.has("json") {
            context.stdout.line(JSONValue.object(stored.detail).jsonString(pretty: true))
            return .success
        }
        let style = context.style
        context.stdout.line(style.bold("Session \(stored.id)"))
        context.stdout.line("agent:     \(stored.agentKind) \(stored.header["agent_info"]?["version"]?.stringValue ?? "")")
        context.stdout.line("directory: \(stored.header["working_directory"]?.stringValue ?? "")")
        context.stdout.line("machine:   \(stored.header["machine"]?.stringValue ?? "")")
        context.stdout.line(
            "created:   \(stored.header["created_at"]?.stringValue ?? "")   updated: \(stored.updatedAt)   status: \(stored.status)"
        )
        let transcript = AgentTranscript(context: context, verbose: arguments.has("verbose"))
        for message in stored.messages {
            if message["role"]?.stringValue == "user" {
                transcript.endTurn()
                let text = (message["content"]?.arrayValue ?? []).compactMap { $0["text"]?.stringValue }.joined(separator: "\n")
                context.stdout.line("")
                context.stdout.line(style.bold("> ") + text)
            } else {
                for update in message["updates"]?.arrayValue ?? [] { transcript.show(update) }
                transcript.endTurn()
                if let reason = message["stop_reason"]?.stringValue, StopReason(wire: reason) != .endTurn {
                    context.stdout.line(style.dim("[stop: \(reason)]"))
                }
                if let error = message["error"]?.stringValue { context.stdout.line(style.red("error: \(error)")) }
            }
        }
        return .success
    }

    /// The session whose id is `prefix` or starts with it.
    static func find(_ prefix: String, in folder: SessionFolder) throws -> StoredSession {
        if let exact = folder.read(prefix) { return exact }
        let matches = folder.list().filter { $0.id.hasPrefix(prefix) }
        guard !prefix.isEmpty, let first = matches.first else { throw CommandFailure("no session \(prefix) in \(folder.path)") }
        guard matches.count == 1 else {
            throw CommandFailure("\(prefix) matches \(matches.count) sessions: \(matches.prefix(5).map(\.id).joined(separator: ", "))")
        }
        return first
    }

    /// The agents of this config.
    static func catalog(_ loaded: LoadedConfig, _ context: CommandContext) -> AgentCatalog {
        AgentCatalog(configured: loaded.config.acpAgents, environment: context.environment, home: context.home)
    }

    /// Where this config keeps sessions.
    static func places(_ loaded: LoadedConfig, _ context: CommandContext) -> SessionPlaces {
        SessionPlaces.resolve(
            config: loaded.config,
            configFile: loaded.location.configFile,
            configDirectory: loaded.location.directory,
            sync: SyncEnvironment(environment: context.environment, home: context.home)
        )
    }

    /// A registry used only to describe sessions (this process runs none of them).
    static func registry(_ loaded: LoadedConfig, _ context: CommandContext) -> SessionRegistry {
        let catalog = catalog(loaded, context)
        let places = places(loaded, context)
        return SessionRegistry(
            setup: SessionRegistry.Setup(catalog: { catalog }, places: { places }, environment: { [:] }, flushInterval: { 5 })
        )
    }

    private static func folder(_ places: SessionPlaces, _ arguments: ParsedArguments) throws -> SessionFolder {
        guard let folder = places.folder(machine: arguments.value("machine")) else {
            let known = places.machines().joined(separator: ", ")
            throw CommandFailure("no machine \(arguments.value("machine") ?? "") (machines: \(known); other machines need OneDrive sync)")
        }
        return folder
    }
}
