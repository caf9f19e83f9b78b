import HTTPTypes

/// The headers of every server-sent event stream this server sends (relayed answers and the dashboard's live
/// events): never cached, and not buffered by a reverse proxy in front.
package enum EventStreamHeaders {
    /// `Content-Type: text/event-stream`, `Cache-Control: no-cache`, `X-Accel-Buffering: no`.
    package static let fields: HTTPFields = [
        .contentType: "text/event-stream", .cacheControl: "no-cache", HTTPField.Name("x-accel-buffering")!: "no",
    ]
}
