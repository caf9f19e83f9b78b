import GHCCore

/// The user behind an Anthropic request's `metadata.user_id`. Claude Code now sends a JSON string
/// (`{"device_id": …, "account_uuid": …, "session_id": …}`); older clients send a plain id.
package enum ClaudeUserID {
    /// The account when Claude Code names one, else its device, else the session; a plain id as it is.
    package static func id(from metadata: JSONValue?) -> String? {
        guard let raw = metadata?["user_id"]?.stringValue, !raw.isEmpty else { return nil }
        guard raw.hasPrefix("{"), let parsed = try? JSONValue.parse(Array(raw.utf8)) else { return raw }
        for key in ["account_uuid", "device_id", "session_id"] {
            if let value = parsed[key]?.stringValue, !value.isEmpty { return value }
        }
        return nil
    }
}
