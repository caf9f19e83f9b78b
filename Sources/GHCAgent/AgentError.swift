/// Everything that can go wrong while talking to an ACP agent, in words a user can act on.
package enum AgentError: Error, Equatable, CustomStringConvertible {
    /// No agent of that name is known or configured.
    case unknownAgent(name: String, known: [String])
    /// The agent's program was not found; `install` says how to get it.
    case notInstalled(name: String, install: String)
    /// The agent's process could not be started.
    case launchFailed(command: [String], reason: String)
    /// The agent's process ended; pending requests fail with this.
    case exited(status: String, stderrTail: String)
    /// The agent answered a request with a JSON-RPC error.
    case remote(RPCError)
    /// The agent's answer was not what the protocol says.
    case protocolViolation(String)
    /// A request got no answer in time.
    case timedOut(method: String, seconds: Int)
    /// The agent cannot resume a stored session (it does not advertise `loadSession`).
    case cannotResume(agent: String)
    /// The session is not known, or not live in this process.
    case noSuchSession(String)
    /// A turn is already running in this session.
    case busy
    /// A stored session file could not be read or written.
    case storage(String)

    /// One paragraph for the user.
    package var description: String {
        switch self {
        case .unknownAgent(let name, let known):
            "unknown agent '\(name)'; known agents: \(known.joined(separator: ", ")) (add others under acp_agents in config.yaml)"
        case .notInstalled(let name, let install): "agent '\(name)' is not installed. \(install)"
        case .launchFailed(let command, let reason): "could not start \(command.joined(separator: " ")): \(reason)"
        case .exited(let status, let tail):
            "the agent process exited (\(status))" + (tail.isEmpty ? "" : "; its last output on stderr:\n\(tail)")
        case .remote(let error): "the agent answered with an error: \(error)"
        case .protocolViolation(let what): "the agent broke the protocol: \(what)"
        case .timedOut(let method, let seconds): "the agent did not answer \(method) within \(seconds) s"
        case .cannotResume(let agent):
            "this agent cannot resume sessions: \(agent) does not advertise session/load; start a new session instead"
        case .noSuchSession(let id): "no session \(id)"
        case .busy: "a turn is already running in this session; cancel it or wait"
        case .storage(let what): "session storage: \(what)"
        }
    }
}
