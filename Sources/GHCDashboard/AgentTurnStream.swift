import GHCAgent
import GHCCore
import Hummingbird
import NIOCore

/// The server-sent events of one prompt turn: `update`, `permission`, `permission_resolved`, `error`, then `done`
/// with the agent's real stop reason; `: keepalive` comments while the agent is silent.
///
/// The turn runs to its end even when the browser leaves: it is the agent's work, and it is stored.
struct AgentTurnStream: Sendable {
    /// The session.
    let session: AgentSession
    /// The prompt.
    let text: String

    /// Seconds of silence before a keepalive comment.
    static let keepaliveSeconds = 15

    /// The response body.
    var body: ResponseBody {
        ResponseBody { writer in
            let (frames, sink) = AsyncStream<[UInt8]>.makeStream()
            let turn = Task {
                let result: AgentSession.TurnResult
                do throws(AgentError) {
                    result = try await session.prompt(text) { event in sink.yield(Self.frame(event)) }
                } catch {
                    result = AgentSession.TurnResult(stopReason: .error, error: error)
                }
                if let error = result.error {
                    sink.yield(
                        ServerSentEvent.format(event: "error", data: JSONValue.object(["message": .string(error.description)]).jsonString())
                    )
                }
                sink.yield(
                    ServerSentEvent.format(
                        event: "done",
                        data: JSONValue.object(["stop_reason": .string(result.stopReason.rawValue)]).jsonString()
                    )
                )
                sink.finish()
            }
            let keepalive = Task {
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(Self.keepaliveSeconds))
                    if !Task.isCancelled { sink.yield(Array(": keepalive\n\n".utf8)) }
                }
            }
            var connected = true
            for await frame in frames where connected {
                do { try await writer.write(ByteBuffer(bytes: frame)) } catch { connected = false }
            }
            keepalive.cancel()
            await turn.value
            if connected { try? await writer.finish(nil) }
        }
    }

    private static func frame(_ event: AgentEvent) -> [UInt8] {
        switch event {
        case .update(let update):
            return ServerSentEvent.format(event: "update", data: update.jsonString())
        case .permission(let request):
            return ServerSentEvent.format(event: "permission", data: request.json.jsonString())
        case .permissionResolved(let id, let outcome):
            return ServerSentEvent.format(
                event: "permission_resolved",
                data: JSONValue.object(["request_id": .string(id), "outcome": outcome.json]).jsonString()
            )
        }
    }
}
