import GHCCore
import HTTPTypes
import Hummingbird

/// The caller's address for the request record: the first `X-Forwarded-For` hop (unless loopback), then
/// `X-Real-IP`, then the socket peer.
enum ClientAddress {
    /// The caller's address for `request`, by the order above; `127.0.0.1` when none is known.
    static func of<Context: RemoteAddressRequestContext>(_ request: Request, _ context: Context) -> String {
        if let forwarded = request.headers[HTTPField.Name("x-forwarded-for")!]?.split(separator: ",").first?.trimmedWhitespace,
            !forwarded.isEmpty, !forwarded.hasPrefix("127.")
        {
            return forwarded
        }
        if let real = request.headers[HTTPField.Name("x-real-ip")!], !real.isEmpty { return real }
        return context.remoteAddress?.ipAddress ?? "127.0.0.1"
    }
}

/// Who is calling: the address, key name and request id for the request record and the log.
struct Caller: Sendable {
    /// The caller's address (see `ClientAddress`).
    let address: String
    /// The name of the client key the caller presented, if it was one (never the key itself).
    let keyName: String?
    /// The request's id (`x-request-id`), when the server gave it one.
    let requestID: RequestIdentity?

    /// The caller of `request`.
    static func of<Context: ProxyRequestContext>(_ request: Request, _ context: Context) -> Caller {
        Caller(address: ClientAddress.of(request, context), keyName: context.clientKeyName, requestID: context.requestID)
    }
}

/// A request context that carries what the server learnt of the caller before the route ran.
package protocol CallerRequestContext: RequestContext {
    /// The name of the client key the request was let in with; `nil` for a key of `api_keys` or no key.
    var clientKeyName: String? { get set }
    /// The request's id, as `x-request-id` carries it in and out.
    var requestID: RequestIdentity? { get set }
}

/// The context the proxy's routes need: the caller's socket address and what the server learnt of the caller (read
/// through the type, not by casting the context to a protocol on every request).
package typealias ProxyRequestContext = CallerRequestContext & RemoteAddressRequestContext

/// A request's id: the caller's `x-request-id` when it sent a usable one, else one the server made.
package struct RequestIdentity: Sendable, Equatable {
    /// The id.
    package let value: String
    /// Whether the server made it (then it is unique, and the request's record takes it as its id).
    package let isGenerated: Bool

    /// Creates an id.
    package init(value: String, isGenerated: Bool) {
        self.value = value
        self.isGenerated = isGenerated
    }

    /// The id of a request that came with `header` as its `x-request-id`: the header when it is 1 to 128 printable
    /// ASCII characters, else a new id.
    package static func of(header: String?) -> RequestIdentity {
        if let header, (1...128).contains(header.utf8.count), header.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            return RequestIdentity(value: header, isGenerated: false)
        }
        return RequestIdentity(value: RequestID.next(), isGenerated: true)
    }
}
