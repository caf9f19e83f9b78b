/// Who a request's key belongs to.
package enum KeyHolder: Sendable, Equatable {
    /// A key of `api_keys` in `config.yaml` (shared, unnamed).
    case configured
    /// The client key of this name.
    case client(String)
    /// The key a server gives the coding agents it starts itself (the `/agent` page), made anew at each start.
    case serverAgents

    /// The name records carry: the client key's name, `agents (ghc-api)` for the server's agents (no client key can
    /// have that name: names have no spaces), `nil` for `api_keys`.
    package var recordName: String? {
        switch self {
        case .configured: nil
        case .client(let name): name
        case .serverAgents: "agents (ghc-api)"
        }
    }
}
