import GHCCore
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON answers of the proxy's own routes and the dashboard's APIs.
package enum JSONResponse {
    /// A JSON response that is never cached.
    package static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "application/json", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(value)))
        )
    }
}
