import GHCCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One ACP session with one agent process: started (or resumed), prompted turn by turn, cancelled, closed.
///
/// The session answers the agent's own requests (files, terminals, permissions) and keeps every `session/update`
/// in order, within a turn or between turns, writing them to the session's file as it goes.
package actor AgentSession {
    /// The turn in progress.
    struct Turn {
        var updates: [JSONValue] = []
        let events: AsyncStream<AgentEvent>.Continuation
        var cancelled = false
    }

    /// The session id the agent gave (empty until `session/new` answers).
    package internal(set) var id = ""
    /// The options it was started with.
    package let options: SessionOptions
    /// The header written first in its file.
    package internal(set) var header: [String: JSONValue] = [:]
    /// The agent's `initialize` answer.
    package internal(set) var handshake: JSONValue = .null
    /// Whether the process still runs.
    package internal(set) var isLive = true
    /// Why the process ended, once it has.
    package internal(set) var endReason: AgentError?

    let workspace: WorkspaceAccess
    let terminals: TerminalRegistry
    let folder: SessionFolder?
    var recorder: SessionRecorder?
    var process: AgentProcess?
    var connection: RPCConnection?
    var turn: Turn?
    var idleUpdates: [JSONValue] = []
    var idleFlushScheduled = false
    var idleListener: (@Sendable (AgentEvent) -> Void)?
    var permissionCount = 0
    var waitingPermissions: [String: (request: PermissionRequest, answer: CheckedContinuation<PermissionOutcome, Never>)] = [:]
    var closing = false
    var replaying = false

    init(options: SessionOptions, folder: SessionFolder?) {
        self.options = options
        self.folder = folder
        workspace = WorkspaceAccess(directory: options.directory, additional: options.additionalDirectories)
        terminals = TerminalRegistry(directory: options.directory)
    }

    /// Starts the agent and a new session in `options.directory`, recorded in `folder` when given.
    package static func start(_ options: SessionOptions, folder: SessionFolder?) async throws(AgentError) -> AgentSession {
        let session = AgentSession(options: options, folder: folder)
        do {
            try await session.launch()
            try await session.openNew()
        } catch {
            await session.close(record: false)
            throw error
        }
        return session
    }

    /// Starts the agent again and loads stored session `stored` (`session/load`), when the agent can.
    package static func resume(
        _ stored: StoredSession,
        _ options: SessionOptions,
        folder: SessionFolder
    ) async throws(AgentError)
        -> AgentSession
    {
        let session = AgentSession(options: options, folder: folder)
        do {
            try await session.launch()
            try await session.load(stored)
        } catch {
            await session.close(record: false)
            throw error
        }
        return session
    }

    /// Receives updates and permission questions that arrive while no turn runs.
    package func onIdleEvent(_ listener: @escaping @Sendable (AgentEvent) -> Void) {
        idleListener = listener
    }

    /// The agent's stderr so far (the last 64 KiB).
    package var stderrTail: String { process?.stderr.text ?? "" }

    /// The questions waiting for an answer.
    package var pendingPermissions: [PermissionRequest] {
        waitingPermissions.values.map(\.request).sorted { $0.id < $1.id }
    }

    /// Whether a turn is running.
    package var isBusy: Bool { turn != nil }

    /// Whether the agent advertised `session/load`.
    package var canLoad: Bool { handshake["agentCapabilities"]?["loadSession"]?.boolValue ?? false }

    /// Answers a waiting permission question; false when there is no such question.
    @discardableResult
    package func answerPermission(_ id: String, _ outcome: PermissionOutcome) -> Bool {
        guard let waiting = waitingPermissions.removeValue(forKey: id) else { return false }
        waiting.answer.resume(returning: outcome)
        emit(.permissionResolved(id: id, outcome: outcome))
        return true
    }

    /// Cancels the running turn: `session/cancel`, and every waiting question answered `cancelled`.
    package func cancel() async {
        guard !id.isEmpty else { return }
        turn?.cancelled = true
        try? await connection?.notify("session/cancel", ["sessionId": .string(id)])
        for id in Array(waitingPermissions.keys) { answerPermission(id, .cancelled) }
    }

    /// Switches the agent's mode (`session/set_mode`); the header's `modes.currentModeId` follows.
    package func setMode(_ mode: String) async throws(AgentError) {
        let available = (header["modes"]?["availableModes"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        guard available.contains(mode) else {
            throw .protocolViolation(
                available.isEmpty
                    ? "this agent offers no modes" : "no mode '\(mode)'; the agent offers \(available.joined(separator: ", "))"
            )
        }
        _ = try await request("session/set_mode", ["sessionId": .string(id), "modeId": .string(mode)], timeout: options.setupTimeout)
        if case .object(var modes) = header["modes"] ?? .null {
            modes["currentModeId"] = .string(mode)
            header["modes"] = .object(modes)
        }
    }

    /// Sets a session config option (`session/set_config_option`): a value id, or a boolean sent with
    /// `type: "boolean"`; the agent answers with the full set.
    package func setConfigOption(_ configID: String, value: JSONValue) async throws(AgentError) {
        var params: [String: JSONValue] = ["sessionId": .string(id), "configId": .string(configID), "value": value]
        if value.boolValue != nil { params["type"] = "boolean" }
        let result = try await request("session/set_config_option", .object(params), timeout: options.setupTimeout)
        if let options = result["configOptions"] { header["config_options"] = options }
    }

    /// Ends the session: cancels a running turn, stops the agent (stdin closed, then SIGTERM, then SIGKILL) and its
    /// terminals, and records `terminated`.
    package func close(record: Bool = true) async {
        guard !closing else { return }
        closing = true
        if turn != nil { await cancel() }
        flushIdleUpdates()
        await process?.stop()
        await terminals.releaseAll()
        if record, isLive || endReason != nil { recorder?.status("terminated") }
        isLive = false
    }

    func request(_ method: String, _ params: JSONValue, timeout: Duration? = nil) async throws(AgentError) -> JSONValue {
        guard let connection else { throw .protocolViolation("the agent is not running") }
        return try await connection.request(method, params, timeout: timeout)
    }

    func emit(_ event: AgentEvent) {
        if let turn {
            turn.events.yield(event)
        } else {
            idleListener?(event)
        }
    }
}
