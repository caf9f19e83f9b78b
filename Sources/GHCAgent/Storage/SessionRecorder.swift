import Foundation
import GHCCore

/// Writes one live session to its file as it goes: the header, each user message when sent, each agent turn when it
/// ends, updates that came between turns, and status changes. A failed write is reported, never fatal to the turn.
package struct SessionRecorder: Sendable {
    /// The folder.
    package let folder: SessionFolder
    /// The session's id.
    package let id: String
    /// Called with the reason when a write fails.
    package let failed: @Sendable (AgentError) -> Void

    /// A recorder of session `id` in `folder`.
    package init(folder: SessionFolder, id: String, failed: @escaping @Sendable (AgentError) -> Void = { _ in }) {
        self.folder = folder
        self.id = id
        self.failed = failed
    }

    /// The current local time as the files write it.
    package static func now() -> String { Timestamp.localISOMicroseconds(Date()) }

    /// Starts the file with `header`.
    package func start(_ header: [String: JSONValue]) {
        write { () throws(AgentError) in try folder.create(header: .object(header)) }
    }

    /// A user message.
    package func user(_ content: [JSONValue]) {
        message(["role": "user", "content": .array(content), "timestamp": .string(Self.now())])
    }

    /// An agent message: every update of a turn (or between turns, without a stop reason), in order.
    package func agent(_ updates: [JSONValue], stopReason: String?, error: String? = nil) {
        var data: [String: JSONValue] = ["role": "agent", "updates": .array(updates), "timestamp": .string(Self.now())]
        if let stopReason { data["stop_reason"] = .string(stopReason) }
        if let error { data["error"] = .string(error) }
        message(.object(data))
    }

    /// A status record (`active`, `terminated`).
    /// - Parameter owner: who runs the agent now (a resumed session changes hands), kept as the header's `owner`.
    package func status(_ status: String, owner: JSONValue? = nil) {
        var record: [String: JSONValue] = ["type": "status", "status": .string(status), "updated_at": .string(Self.now())]
        if let owner { record["owner"] = owner }
        write { () throws(AgentError) in try folder.append(id, [.object(record)]) }
    }

    private func message(_ data: JSONValue) {
        let record: JSONValue = ["type": "message", "data": data, "updated_at": .string(Self.now())]
        write { () throws(AgentError) in try folder.append(id, [record]) }
    }

    private func write(_ body: () throws(AgentError) -> Void) {
        do { try body() } catch { failed(error) }
    }
}
