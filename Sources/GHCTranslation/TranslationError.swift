/// A request or answer that cannot be translated between API dialects.
package enum TranslationError: Error, Equatable, CustomStringConvertible {
    /// The client's request has a shape that cannot be expressed upstream.
    case invalidRequest(String)
    /// The upstream answer broke its own protocol.
    case invalidUpstream(String)

    /// One line for the user.
    package var description: String {
        switch self {
        case .invalidRequest(let message): message
        case .invalidUpstream(let message): "unexpected upstream answer: \(message)"
        }
    }
}
