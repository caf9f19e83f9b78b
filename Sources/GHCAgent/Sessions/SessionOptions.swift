/// How to start (or resume) a session.
package struct SessionOptions: Sendable {
    /// The agent.
    package var agent: ResolvedAgent
    /// The working directory (absolute).
    package var directory: String
    /// More directories the agent may read and write (`--add-dir`).
    package var additionalDirectories: [String]
    /// How permission questions are answered.
    package var policy: PermissionPolicy
    /// A mode to switch to after the session starts (`--mode`).
    package var mode: String?
    /// Variables added to the agent's environment (on top of the agent's own, e.g. the proxy's address).
    package var environment: [String: String]
    /// This machine's name, written in the header.
    package var machine: String
    /// Who runs the agent (`cli` or `serve`), written in the header with this process's id.
    package var owner: String
    /// How long `initialize`, `session/new` and `session/load` may take.
    package var setupTimeout: Duration
    /// Seconds before updates that came between turns are written.
    package var flushInterval: Int
    /// The longest line read from the agent (100 MiB: file contents and tool schemas make lines of several MiB).
    package var lineLimit = 100 << 20

    /// Options with the usual defaults.
    package init(
        agent: ResolvedAgent,
        directory: String,
        additionalDirectories: [String] = [],
        policy: PermissionPolicy = .ask,
        mode: String? = nil,
        environment: [String: String] = [:],
        machine: String,
        owner: String,
        setupTimeout: Duration = .seconds(120),
        flushInterval: Int = 5
    ) {
        self.agent = agent
        self.directory = directory
        self.additionalDirectories = additionalDirectories
        self.policy = policy
        self.mode = mode
        self.environment = environment
        self.machine = machine
        self.owner = owner
        self.setupTimeout = setupTimeout
        self.flushInterval = flushInterval
    }
}
