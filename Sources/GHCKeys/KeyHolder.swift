/// Who a request's key belongs to.
package enum KeyHolder: Sendable, Equatable {
    /// A key of `api_keys` in `config.yaml` (shared, unnamed).
    case configured
    /// The client key of this name.
    case client(String)

    /// The name records carry: the client key's name, `nil` for `api_keys`.
    package var recordName: String? {
        if case .client(let name) = self { return name }
        return nil
    }
}
