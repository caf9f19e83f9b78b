import GHCCore

/// Asks an installed agent who it is: starts it, says `initialize`, and stops it.
package enum AgentProbe {
    /// The agent's `agentInfo.version` (with its name when it differs from the kind), or nil when it does not start
    /// or answer within `timeout`.
    package static func version(_ agent: ResolvedAgent, directory: String, timeout: Duration = .seconds(15)) async -> String? {
        let options = SessionOptions(agent: agent, directory: directory, machine: "", owner: "probe", setupTimeout: timeout)
        let session = AgentSession(options: options, folder: nil)
        do {
            try await session.launch()
        } catch {
            await session.close(record: false)
            return nil
        }
        let info = await session.handshake["agentInfo"]
        await session.close(record: false)
        guard let version = info?["version"]?.stringValue else { return nil }
        if let name = info?["name"]?.stringValue, !name.isEmpty { return "\(name) \(version)" }
        return version
    }
}
