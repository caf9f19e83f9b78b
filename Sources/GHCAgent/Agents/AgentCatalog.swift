import Foundation
import GHCCore

/// An agent ready to start: its command, extra environment, and the mode that skips its permission prompts.
package struct ResolvedAgent: Sendable, Equatable {
    /// The agent's kind as the REST API and files name it (`claude-code`, or a name from `acp_agents`).
    package var kind: String
    /// A name for people.
    package var title: String
    /// The program and its arguments.
    package var command: [String]
    /// Variables added to the agent's environment.
    package var environment: [String: String]
    /// The mode id that auto-approves, when the agent has one (`bypassPermissions`, `full-access`, …).
    package var bypassMode: String?

    /// An agent.
    package init(kind: String, title: String, command: [String], environment: [String: String], bypassMode: String?) {
        self.kind = kind
        self.title = title
        self.command = command
        self.environment = environment
        self.bypassMode = bypassMode
    }
}

/// The agents `ghc-api` knows (Claude Code, Codex and Copilot CLI through their ACP adapters) and those configured
/// under `acp_agents`, resolved on this machine as ghc-api 1.0.31 does, plus the adapters' current names on PATH.
package struct AgentCatalog: Sendable {
    /// One row of `agent list`.
    package struct Entry: Sendable {
        /// The kind.
        package var kind: String
        /// A name for people.
        package var title: String
        /// The agent, when it resolves.
        package var resolved: ResolvedAgent?
        /// Why it does not resolve, with how to install it.
        package var problem: String?
        /// How to install it.
        package var install: String
        /// Whether it comes from `acp_agents`.
        package var configured: Bool

        /// The entry as `GET /api/agent/agents` and `agent list --json` show it.
        package var json: [String: JSONValue] {
            [
                "kind": .string(kind), "name": .string(title), "available": .bool(resolved != nil),
                "command": resolved.map { .array($0.command.map { .string($0) }) } ?? .null,
                "install": .string(install), "problem": problem.map { .string($0) } ?? .null, "configured": .bool(configured),
            ]
        }
    }

    private struct Builtin {
        var kind: String
        var title: String
        var install: String
        var bypassMode: String
    }

    private static let builtins: [Builtin] = [
        Builtin(
            kind: "claude-code",
            title: "Claude Code",
            install:
                "Install the ACP adapter: npm install -g @agentclientprotocol/claude-agent-acp (or pip install claude-code-acp), or set CLAUDE_ACP_BINARY.",
            bypassMode: "bypassPermissions"
        ),
        Builtin(
            kind: "codex",
            title: "Codex",
            install: "Install the ACP adapter: npm install -g @zed-industries/codex-acp, or set CODEX_ACP_BINARY.",
            bypassMode: "full-access"
        ),
        Builtin(
            kind: "copilot-cli",
            title: "Copilot CLI",
            install: "Install Copilot CLI: npm install -g @github/copilot, or set COPILOT_CLI_BINARY.",
            bypassMode: "https://agentclientprotocol.com/protocol/session-modes#autopilot"
        ),
    ]

    private let configured: [String: JSONValue]
    private let environment: [String: String]
    private let home: String
    private let search: ExecutableSearch

    /// A catalog over the `acp_agents` config value, this process's environment and home folder.
    package init(configured: JSONValue, environment: [String: String], home: String) {
        self.configured = configured.objectValue ?? [:]
        self.environment = environment
        self.home = home
        search = ExecutableSearch(path: environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin")
    }

    /// Every kind: the built-in ones, then the configured ones by name.
    package var kinds: [String] {
        Self.builtins.map(\.kind) + configured.keys.filter { name in !Self.builtins.contains { $0.kind == name } }.sorted()
    }

    /// Every agent with whether it resolves here.
    package func entries() -> [Entry] {
        kinds.map { kind in
            let builtin = Self.builtins.first { $0.kind == kind }
            let install = builtin?.install ?? "Check its command under acp_agents in config.yaml."
            var entry = Entry(
                kind: kind,
                title: builtin?.title ?? kind,
                resolved: nil,
                problem: nil,
                install: install,
                configured: configured[kind] != nil
            )
            do throws(AgentError) { entry.resolved = try resolve(kind) } catch { entry.problem = error.description }
            return entry
        }
    }

    /// The agent `kind`, ready to start; `.notInstalled` with how to install it when its program is missing.
    package func resolve(_ kind: String) throws(AgentError) -> ResolvedAgent {
        if let entry = configured[kind] { return try resolveConfigured(kind, entry) }
        guard let builtin = Self.builtins.first(where: { $0.kind == kind }) else { throw .unknownAgent(name: kind, known: kinds) }
        guard let command = builtinCommand(kind) else { throw .notInstalled(name: kind, install: builtin.install) }
        return ResolvedAgent(kind: kind, title: builtin.title, command: command, environment: [:], bypassMode: builtin.bypassMode)
    }

    private func resolveConfigured(_ kind: String, _ entry: JSONValue) throws(AgentError) -> ResolvedAgent {
        let words: [String]?
        if let line = entry.stringValue {
            words = CommandLineWords.split(line)
        } else {
            words = entry["command"]?.arrayValue?.compactMap(\.stringValue) ?? entry["command"]?.stringValue.flatMap(CommandLineWords.split)
        }
        guard let words, let program = words.first else {
            throw .notInstalled(name: kind, install: "Its acp_agents entry in config.yaml needs a command.")
        }
        guard let path = search.find(program) else {
            throw .notInstalled(name: kind, install: "\(program), the command of its acp_agents entry, is not on PATH.")
        }
        var variables: [String: String] = [:]
        for (key, value) in entry["env"]?.objectValue ?? [:] { variables[key] = value.stringValue ?? value.jsonString() }
        let builtin = Self.builtins.first { $0.kind == kind }
        return ResolvedAgent(
            kind: kind,
            title: builtin?.title ?? kind,
            command: [path] + words.dropFirst(),
            environment: variables,
            bypassMode: builtin?.bypassMode
        )
    }

    private func builtinCommand(_ kind: String) -> [String]? {
        switch kind {
        case "claude-code":
            if let script = overridden("CLAUDE_ACP_BINARY") { return script }
            if let adapter = search.find("claude-agent-acp") ?? search.find("claude-code-acp") { return [adapter] }
            let packages = ["@agentclientprotocol/claude-agent-acp/dist/index.js", "@zed-industries/claude-agent-acp/dist/index.js"]
            let besideClaude = search.find("claude").map { ExecutableSearch.nodeModules(above: $0) } ?? []
            let nextToClaude = besideClaude.flatMap { folder in
                ["@anthropic-ai/claude-code/dist/acp.js"].map { folder + "/" + $0 } + packages.map { folder + "/" + $0 }
            }
            return (nextToClaude + globalModules(packages)).first(where: FileManager.default.fileExists).map(nodeCommand)
        case "codex":
            if let binary = overridden("CODEX_ACP_BINARY") { return binary }
            if let adapter = search.find("codex-acp") { return [adapter] }
            return globalModules(["@zed-industries/codex-acp/bin/codex-acp.js"]).first(where: FileManager.default.fileExists).map(
                nodeCommand
            )
        case "copilot-cli":
            if let script = overridden("COPILOT_CLI_BINARY") { return script + ["--acp"] }
            if let copilot = search.find("copilot") { return [copilot, "--acp"] }
            return globalModules(["@github/copilot/index.js"]).first(where: FileManager.default.fileExists).map {
                nodeCommand($0) + ["--acp"]
            }
        default:
            return nil
        }
    }

    /// The command for a path named by an environment variable, when it exists (a `.js` file runs with node).
    private func overridden(_ variable: String) -> [String]? {
        guard let path = environment[variable], !path.isEmpty, FileManager.default.fileExists(atPath: path) else { return nil }
        return path.hasSuffix(".js") || path.hasSuffix(".mjs") || path.hasSuffix(".cjs") ? nodeCommand(path) : [path]
    }

    private func nodeCommand(_ script: String) -> [String] {
        [search.find("node") ?? "node", script]
    }

    /// `<global node_modules>/<package path>` for npm's usual global prefixes (what `npm root -g` would print).
    private func globalModules(_ packages: [String]) -> [String] {
        var roots: [String] = []
        if let prefix = environment["NPM_CONFIG_PREFIX"] ?? environment["npm_config_prefix"] { roots.append(prefix + "/lib/node_modules") }
        if let node = search.find("node") {
            let bin = (ExecutableSearch.resolvingLinks(node) as NSString).deletingLastPathComponent
            roots.append((bin as NSString).deletingLastPathComponent + "/lib/node_modules")
        }
        roots += [home + "/.npm-global/lib/node_modules", "/usr/local/lib/node_modules", "/usr/lib/node_modules"]
        return roots.flatMap { root in packages.map { root + "/" + $0 } }
    }
}
