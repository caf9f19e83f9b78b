import GHCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The sessions whose agents this process runs, and the stored sessions of this machine and others, as one list.
///
/// A session belongs to the process that runs its agent: `serve` lists its own as `active`, one that
/// `ghc-api agent chat` runs as `elsewhere` (read-only), and one whose process is gone as `disconnected` (resumable
/// when its agent has `session/load`).
package actor SessionRegistry {
    /// What the registry needs from the running program, read afresh for each new session.
    package struct Setup: Sendable {
        /// The agents.
        package var catalog: @Sendable () -> AgentCatalog
        /// Where sessions live.
        package var places: @Sendable () -> SessionPlaces
        /// Variables that point an agent at this proxy (empty when `agent_use_proxy` is off).
        package var environment: @Sendable () -> [String: String]
        /// `session_flush_interval`.
        package var flushInterval: @Sendable () -> Int

        /// A setup.
        package init(
            catalog: @escaping @Sendable () -> AgentCatalog,
            places: @escaping @Sendable () -> SessionPlaces,
            environment: @escaping @Sendable () -> [String: String],
            flushInterval: @escaping @Sendable () -> Int
        ) {
            self.catalog = catalog
            self.places = places
            self.environment = environment
            self.flushInterval = flushInterval
        }
    }

    private let setup: Setup
    private var live: [String: AgentSession] = [:]

    /// A registry over `setup`.
    package init(setup: Setup) {
        self.setup = setup
    }

    /// Where sessions live now.
    package var places: SessionPlaces { setup.places() }

    /// The agents now.
    package var catalog: AgentCatalog { setup.catalog() }

    /// Starts agent `kind` in `directory` and a new session; remembers the directory in `workdirs.json`.
    package func create(
        kind: String,
        directory: String,
        additional: [String],
        bypass: Bool,
        mode: String?
    ) async throws(AgentError)
        -> AgentSession
    {
        let places = setup.places()
        let options = SessionOptions(
            agent: try setup.catalog().resolve(kind),
            directory: directory,
            additionalDirectories: additional,
            policy: bypass ? .allow : .ask,
            mode: mode,
            environment: setup.environment(),
            machine: places.machine,
            owner: "serve",
            flushInterval: setup.flushInterval()
        )
        let session = try await AgentSession.start(options, folder: places.own)
        live[await session.id] = session
        try? places.workDirectories.remember(directory)
        return session
    }

    /// Starts a stored session's agent again and loads the session (`session/load`).
    package func resume(_ id: String, bypass: Bool) async throws(AgentError) -> AgentSession {
        if let session = live[id] { return session }
        let places = setup.places()
        guard let stored = places.own.read(id) else { throw .noSuchSession(id) }
        if await status(of: stored, local: true) == "elsewhere" {
            throw .storage("session \(id) is running in another ghc-api process on this machine (\(owner(stored)))")
        }
        guard stored.header["load_session"]?.boolValue != false else {
            throw .cannotResume(agent: stored.agentKind)
        }
        let directory = stored.header["working_directory"]?.stringValue ?? ""
        let options = SessionOptions(
            agent: try setup.catalog().resolve(stored.agentKind),
            directory: directory,
            additionalDirectories: (stored.header["additional_directories"]?.arrayValue ?? []).compactMap(\.stringValue),
            policy: bypass ? .allow : .ask,
            environment: setup.environment(),
            machine: places.machine,
            owner: "serve",
            flushInterval: setup.flushInterval()
        )
        let session = try await AgentSession.resume(stored, options, folder: places.own)
        live[id] = session
        return session
    }

    /// The live session `id`, if this process runs it.
    package func session(_ id: String) async -> AgentSession? {
        guard let session = live[id] else { return nil }
        if await session.isLive { return session }
        live[id] = nil
        return nil
    }

    /// Ends session `id` (a no-op for unknown ids); a session another process runs is refused.
    package func end(_ id: String) async throws(AgentError) {
        guard let session = live.removeValue(forKey: id) else {
            if let stored = setup.places().own.read(id), await status(of: stored, local: true) == "elsewhere" {
                throw .storage("session \(id) is running in another ghc-api process on this machine (\(owner(stored))); end it there")
            }
            return
        }
        await session.close()
    }

    /// Ends every session (the server stops).
    package func shutdown() async {
        let sessions = live.values
        live.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for session in sessions { group.addTask { await session.close() } }
        }
    }

    /// The status a stored session shows: `active` (live here), `elsewhere` (another process on this machine runs it),
    /// `terminated`, or `disconnected`.
    package func status(of stored: StoredSession, local: Bool) async -> String {
        if local, let session = live[stored.id] {
            if await session.isLive { return "active" }
            live[stored.id] = nil
        }
        if stored.status == "terminated" { return "terminated" }
        if local, let pid = stored.header["owner"]?["pid"]?.intValue, pid != Int(getpid()), pid > 0,
            kill(pid_t(pid), 0) == 0 || errno == EPERM
        {
            return "elsewhere"
        }
        return "disconnected"
    }

    /// The list item (or detail) of a stored session, with its current status and whether it can be resumed.
    package func describe(_ stored: StoredSession, local: Bool, detail: Bool) async -> [String: JSONValue] {
        var item = detail ? stored.detail : stored.summary
        let status = await status(of: stored, local: local)
        item["status"] = .string(status)
        let loads = stored.header["load_session"]?.boolValue ?? false
        item["resumable"] = .bool(local && loads && (status == "disconnected" || status == "terminated"))
        if let session = live[stored.id] {
            item["modes"] = await session.header["modes"] ?? .null
            item["owner"] = await session.header["owner"] ?? .null
            if detail { item["pending_permissions"] = .array(await session.pendingPermissions.map(\.json)) }
            item["busy"] = .bool(await session.isBusy)
        }
        return item
    }

    private func owner(_ stored: StoredSession) -> String {
        let via = stored.header["owner"]?["via"]?.stringValue ?? "?"
        let pid = stored.header["owner"]?["pid"]?.intValue ?? 0
        return via == "cli" ? "ghc-api agent chat, pid \(pid)" : "ghc-api \(via), pid \(pid)"
    }
}
