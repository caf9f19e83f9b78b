import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Sends a sized response's head together with its body: one `writev` and one TCP segment instead of two.
///
/// Hummingbird flushes every part it writes, so a JSON answer left as two system calls and two loopback segments, and
/// the client woke up twice. A head that announces a `Content-Length` is followed by its body at once, so its flush
/// is held and the body's flush carries both. Heads of streamed answers (no length: event streams, chunked bodies)
/// and informational heads go out at once, so a client waiting on an event stream sees its headers immediately.
package final class ResponseHeadCoalescer: ChannelOutboundHandler, RemovableChannelHandler {
    /// Response parts from Hummingbird.
    package typealias OutboundIn = HTTPResponsePart
    /// The same parts, passed on.
    package typealias OutboundOut = HTTPResponsePart

    /// Whether the last part written was a sized head whose flush waits for its body.
    private var holdsHead = false

    /// Creates the handler.
    package init() {}

    /// Passes the part on, noting whether it is a sized head.
    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .head(let head) = unwrapOutboundIn(data) {
            holdsHead = head.status.kind != .informational && head.headerFields[.contentLength] != nil
        } else {
            holdsHead = false
        }
        context.write(data, promise: promise)
    }

    /// Flushes, unless the only new part is a sized head: the body's flush will send it.
    package func flush(context: ChannelHandlerContext) {
        guard !holdsHead else { return }
        context.flush()
    }

    /// Sends a held head before the handler leaves the pipeline.
    package func handlerRemoved(context: ChannelHandlerContext) {
        if holdsHead {
            holdsHead = false
            context.flush()
        }
    }
}
