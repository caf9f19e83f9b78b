import GHCCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Routes the connection's lines to the process once it has started.
private final class ProcessSink: Sendable {
    private let process = Mutex<AgentProcess?>(nil)

    func attach(_ process: AgentProcess) { self.process.withLock { $0 = process } }

    func send(_ bytes: [UInt8]) { process.withLock { $0 }?.send(bytes) }
}

extension AgentSession {
    /// The ACP version this client speaks.
    package static let protocolVersion = 1

    /// What this client tells the agent it can do (all of it implemented).
    static let clientCapabilities: JSONValue = [
        "fs": ["readTextFile": true, "writeTextFile": true],
        "terminal": true,
    ]

    /// Starts the process and says `initialize`.
    func launch() async throws(AgentError) {
        let sink = ProcessSink()
        let connection = RPCConnection(send: { sink.send($0) }, peer: self)
        self.connection = connection
        let launch = AgentProcess.Launch(
            command: options.agent.command,
            environment: options.agent.environment.merging(options.environment) { agent, _ in agent },
            directory: options.directory,
            lineLimit: options.lineLimit
        )
        let listener = AgentProcess.Listener(
            line: { await connection.receive($0) },
            overlong: { [weak self] length in await self?.skippedLine("a line of \(length) bytes exceeded the limit and was dropped") },
            ended: { [weak self] end, stderr in await self?.processEnded(end, stderr: stderr) }
        )
        let process = try await AgentProcess.start(launch, listener: listener)
        sink.attach(process)
        self.process = process
        handshake = try await request(
            "initialize",
            [
                "protocolVersion": .int(Self.protocolVersion),
                "clientCapabilities": Self.clientCapabilities,
                "clientInfo": ["name": "ghc-api", "title": "ghc-api", "version": .string(GHCVersion.current)],
            ],
            timeout: options.setupTimeout
        )
        guard let version = handshake["protocolVersion"]?.intValue else {
            throw .protocolViolation("initialize answered without a protocolVersion")
        }
        guard version == Self.protocolVersion else {
            throw .protocolViolation("the agent speaks ACP version \(version); this client speaks \(Self.protocolVersion)")
        }
    }

    /// `session/new` (authenticating first when the agent asks for it), the header, and the starting mode.
    func openNew() async throws(AgentError) {
        let params: JSONValue = [
            "cwd": .string(options.directory),
            "mcpServers": [],
            "additionalDirectories": .array(options.additionalDirectories.map { .string($0) }),
        ]
        let result: JSONValue
        do {
            result = try await request("session/new", params, timeout: options.setupTimeout)
        } catch .remote(let error) where error.code == -32000 {
            try await authenticate()
            result = try await request("session/new", params, timeout: options.setupTimeout)
        }
        guard let sessionID = result["sessionId"]?.stringValue, SessionFolder.isValidID(sessionID) else {
            throw .protocolViolation("session/new answered without a usable sessionId")
        }
        id = sessionID
        let now = SessionRecorder.now()
        header = [
            "session_id": .string(sessionID),
            "agent_kind": .string(options.agent.kind),
            "created_at": .string(now),
            "updated_at": .string(now),
            "status": "active",
            "working_directory": .string(options.directory),
            "additional_directories": .array(options.additionalDirectories.map { .string($0) }),
            "machine": .string(options.machine),
            "agent_info": handshake["agentInfo"] ?? .object([:]),
            "modes": result["modes"] ?? .null,
            "models": result["models"] ?? .object([:]),
            "config_options": result["configOptions"] ?? .null,
            "load_session": .bool(canLoad),
            "owner": ["via": .string(options.owner), "pid": .int(Int(getpid()))],
        ]
        try await applyStartingMode()
        if let folder {
            recorder = SessionRecorder(folder: folder, id: sessionID)
            recorder?.start(header)
        }
        flushIdleUpdates()
    }

    /// `session/load` of a stored session: the agent replays it (not written again), then the session is live.
    func load(_ stored: StoredSession) async throws(AgentError) {
        guard canLoad else { throw .cannotResume(agent: options.agent.title) }
        id = stored.id
        header = stored.header
        header["owner"] = ["via": .string(options.owner), "pid": .int(Int(getpid()))]
        replaying = true
        defer { replaying = false }
        let result = try await request(
            "session/load",
            ["sessionId": .string(stored.id), "cwd": .string(options.directory), "mcpServers": []],
            timeout: options.setupTimeout
        )
        if let modes = result["modes"], modes != .null { header["modes"] = modes }
        if let configOptions = result["configOptions"], configOptions != .null { header["config_options"] = configOptions }
        try await applyStartingMode()
        if let folder {
            recorder = SessionRecorder(folder: folder, id: stored.id)
            recorder?.status("active", owner: header["owner"])
        }
    }

    /// `authenticate` with the first method the agent runs itself; terminal logins must be done by the user.
    private func authenticate() async throws(AgentError) {
        let methods = handshake["authMethods"]?.arrayValue ?? []
        guard let method = methods.first(where: { ($0["type"]?.stringValue ?? "agent") == "agent" }),
            let methodID = method["id"]?.stringValue
        else {
            let names = methods.compactMap { $0["name"]?.stringValue ?? $0["id"]?.stringValue }
            throw .protocolViolation(
                "the agent needs a login first" + (names.isEmpty ? "" : " (\(names.joined(separator: ", ")))")
                    + "; run the agent once in a terminal to log in"
            )
        }
        _ = try await request("authenticate", ["methodId": .string(methodID)], timeout: options.setupTimeout)
    }

    /// `--mode`, else the agent's no-prompt mode when permissions are allowed by policy and the agent offers it.
    private func applyStartingMode() async throws(AgentError) {
        if let mode = options.mode {
            try await setMode(mode)
            return
        }
        let available = (header["modes"]?["availableModes"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        if options.policy == .allow, let bypass = options.agent.bypassMode, available.contains(bypass),
            header["modes"]?["currentModeId"]?.stringValue != bypass, !Self.claudeRefusesBypass(bypass, options)
        {
            try? await setMode(bypass)
        }
    }

    /// Claude Code refuses `bypassPermissions` as root (outside a sandbox it is told about), and then every prompt
    /// fails; the policy still answers each permission question, so the mode is left as it is.
    private static func claudeRefusesBypass(_ mode: String, _ options: SessionOptions) -> Bool {
        guard mode == "bypassPermissions", geteuid() == 0 else { return false }
        let sandbox =
            options.agent.environment["IS_SANDBOX"] ?? options.environment["IS_SANDBOX"] ?? getenv("IS_SANDBOX").map { String(cString: $0) }
        return sandbox != "1"
    }

    /// The process ended: pending requests fail with its status and stderr, waiting questions are cancelled.
    func processEnded(_ end: ProcessEnd, stderr: String) async {
        let reason = AgentError.exited(status: end.description, stderrTail: stderr)
        endReason = reason
        await connection?.close(reason)
        for id in Array(waitingPermissions.keys) { answerPermission(id, .cancelled) }
        if !closing {
            flushIdleUpdates()
            if turn == nil { recorder?.status("terminated") }
        }
        isLive = false
        await terminals.releaseAll()
    }
}
