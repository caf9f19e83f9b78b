import GHCCore

/// A session as read back from its file: the header, the messages in order, and the latest status.
package struct StoredSession: Sendable, Equatable {
    /// The first line: `session_id`, `agent_kind`, `created_at`, `working_directory`, `machine`, `agent_info`, `modes`, ….
    package var header: [String: JSONValue]
    /// User and agent messages, in the order they were written.
    package var messages: [JSONValue]
    /// `active` or `terminated`, from the last status record.
    package var status: String
    /// The time of the last record.
    package var updatedAt: String
    /// The file's modification time (seconds since 1970), for sorting.
    package var modified: Double

    /// The session's id.
    package var id: String { header["session_id"]?.stringValue ?? "" }
    /// The agent kind (`claude-code`, or a configured name).
    package var agentKind: String { header["agent_kind"]?.stringValue ?? "" }

    /// Folds the records of a `.jl.b64gz` file (header first) into a session.
    package init?(records: [JSONValue], modified: Double) {
        guard let header = records.first?.objectValue, header["session_id"]?.stringValue != nil else { return nil }
        self.header = header
        self.modified = modified
        messages = []
        status = header["status"]?.stringValue ?? "active"
        updatedAt = header["updated_at"]?.stringValue ?? header["created_at"]?.stringValue ?? ""
        for record in records.dropFirst() { apply(record) }
    }

    /// A legacy `<id>.json` session (one object that already holds `messages`).
    package init?(legacy value: JSONValue, modified: Double) {
        guard var object = value.objectValue, object["session_id"]?.stringValue != nil else { return nil }
        messages = object.removeValue(forKey: "messages")?.arrayValue ?? []
        header = object
        status = object["status"]?.stringValue ?? "active"
        updatedAt = object["updated_at"]?.stringValue ?? ""
        self.modified = modified
    }

    /// Applies one update record (`message` or `status`).
    package mutating func apply(_ record: JSONValue) {
        switch record["type"]?.stringValue {
        case "message":
            if let data = record["data"] { messages.append(data) }
        case "status":
            if let value = record["status"]?.stringValue { status = value }
            if let owner = record["owner"] { header["owner"] = owner }
        default:
            return
        }
        if let time = record["updated_at"]?.stringValue { updatedAt = time }
    }

    /// The header with the current status and time, and `message_count` (a list item of the REST API).
    package var summary: [String: JSONValue] {
        var item = header
        item["status"] = .string(status)
        item["updated_at"] = .string(updatedAt)
        item["message_count"] = .int(messages.count)
        return item
    }

    /// The summary plus `messages` (the detail of the REST API).
    package var detail: [String: JSONValue] {
        var item = summary
        item.removeValue(forKey: "message_count")
        item["messages"] = .array(messages)
        return item
    }
}
