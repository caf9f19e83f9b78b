import GHCCore

/// The `terminal/*` methods of one session: real processes, by id, until released.
package actor TerminalRegistry {
    /// Output kept when the agent names no limit.
    package static let defaultOutputLimit = 1 << 20
    private var terminals: [String: TerminalProcess] = [:]
    private var counter = 0
    private let directory: String

    /// Terminals starting in `directory` unless a request names another.
    package init(directory: String) {
        self.directory = directory
    }

    /// Answers one `terminal/…` request.
    package func handle(_ method: String, _ params: JSONValue) async -> Result<JSONValue, RPCError> {
        switch method {
        case "terminal/create": return create(params)
        case "terminal/output":
            return terminal(params).map { terminal in
                let snapshot = terminal.snapshot
                var result: [String: JSONValue] = ["output": .string(snapshot.output), "truncated": .bool(snapshot.truncated)]
                if let end = snapshot.end { result["exitStatus"] = Self.status(end) }
                return .object(result)
            }
        case "terminal/wait_for_exit":
            switch terminal(params) {
            case .success(let terminal): return .success(Self.status(await terminal.waitForExit()))
            case .failure(let error): return .failure(error)
            }
        case "terminal/kill":
            return terminal(params).map { terminal in
                terminal.kill()
                return [:]
            }
        case "terminal/release":
            return terminal(params).map { terminal in
                terminal.kill()
                terminals[params["terminalId"]?.stringValue ?? ""] = nil
                return [:]
            }
        default: return .failure(.methodNotFound(method))
        }
    }

    /// Kills every terminal (the session ends).
    package func releaseAll() {
        for terminal in terminals.values { terminal.kill() }
        terminals.removeAll()
    }

    private func create(_ params: JSONValue) -> Result<JSONValue, RPCError> {
        guard let command = params["command"]?.stringValue, !command.isEmpty else { return .failure(.invalidParams("command is required")) }
        let arguments = (params["args"]?.arrayValue ?? []).compactMap(\.stringValue)
        var environment: [String: String] = [:]
        for variable in params["env"]?.arrayValue ?? [] {
            if let name = variable["name"]?.stringValue, let value = variable["value"]?.stringValue { environment[name] = value }
        }
        let limit = params["outputByteLimit"]?.intValue ?? Self.defaultOutputLimit
        guard limit >= 0 else { return .failure(.invalidParams("outputByteLimit must not be negative")) }
        counter += 1
        let id = "term-\(counter)"
        terminals[id] = TerminalProcess(
            command: command,
            arguments: arguments,
            environment: environment,
            directory: params["cwd"]?.stringValue ?? directory,
            outputByteLimit: limit
        )
        return .success(["terminalId": .string(id)])
    }

    private func terminal(_ params: JSONValue) -> Result<TerminalProcess, RPCError> {
        guard let id = params["terminalId"]?.stringValue else { return .failure(.invalidParams("terminalId is required")) }
        guard let terminal = terminals[id] else { return .failure(.resourceNotFound("no terminal \(id)")) }
        return .success(terminal)
    }

    /// `{exitCode, signal}` as the spec writes an exit status.
    private static func status(_ end: ProcessEnd) -> JSONValue {
        ["exitCode": end.exitCode.map { .int($0) } ?? .null, "signal": end.signal.map { .string($0) } ?? .null]
    }
}
