import GHCCore
import GHCHTTP
import GHCStore
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceLifecycle

/// `GET /api/events`: the store's changes as server-sent events (`request` and `stats`), until the browser
/// leaves or the server shuts down.
struct LiveEvents: Sendable {
    /// The store whose changes are sent.
    let store: RequestStore

    /// The event stream for one browser: a `connected` comment, then each change until it leaves or the server stops.
    func response(for request: Request) -> Response {
        let (events, end) = store.subscribe()
        let headers = EventStreamHeaders.fields
        return Response(
            status: .ok,
            headers: headers,
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: ": connected\n\n"))
                do {
                    try await request.body.consumeWithCancellationOnInboundClose { _ in
                        try await withGracefulShutdownHandler {
                            for await event in events {
                                switch event {
                                case .request(let summary):
                                    try await writer.write(
                                        ByteBuffer(bytes: ServerSentEvent.format(event: "request", data: summary.jsonString()))
                                    )
                                case .stats(let stats):
                                    try await writer.write(
                                        ByteBuffer(bytes: ServerSentEvent.format(event: "stats", data: stats.jsonString()))
                                    )
                                }
                            }
                        } onGracefulShutdown: {
                            end()
                        }
                    }
                } catch is CancellationError {
                    // The browser left or the server is stopping; end the stream quietly.
                }
                try? await writer.finish(nil)
            }
        )
    }
}
