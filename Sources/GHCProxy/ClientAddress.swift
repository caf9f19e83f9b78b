import GHCCore
import HTTPTypes
import Hummingbird

/// The caller's address for the request record: the first `X-Forwarded-For` hop (unless loopback), then
/// `X-Real-IP`, then the socket peer.
enum ClientAddress {
    /// The caller's address for `request`, by the order above; `127.0.0.1` when none is known.
    static func of<Context: RequestContext>(_ request: Request, _ context: Context) -> String {
        if let forwarded = request.headers[HTTPField.Name("x-forwarded-for")!]?.split(separator: ",").first?.trimmedWhitespace,
            !forwarded.isEmpty, !forwarded.hasPrefix("127.")
        {
            return forwarded
        }
        if let real = request.headers[HTTPField.Name("x-real-ip")!], !real.isEmpty { return real }
        return (context as? any RemoteAddressRequestContext)?.remoteAddress?.ipAddress ?? "127.0.0.1"
    }
}

/// Who is calling: the address and key name for the request record, and the connection a streamed answer watches.
struct Caller: Sendable {
    /// The caller's address (see `ClientAddress`).
    let address: String
    /// The name of the client key the caller presented, if it was one (never the key itself).
    let keyName: String?
    /// The connection the request came on.
    let connection: ClientConnection

    /// The caller of `request`.
    static func of<Context: RequestContext>(_ request: Request, _ context: Context) -> Caller {
        Caller(
            address: ClientAddress.of(request, context),
            keyName: (context as? any ClientKeyRequestContext)?.clientKeyName,
            connection: ClientConnection.of(context)
        )
    }
}

/// A request context that carries the name of the client key the request was let in with.
package protocol ClientKeyRequestContext: RequestContext {
    /// The client key's name; `nil` for a key of `api_keys` or no key.
    var clientKeyName: String? { get set }
}
