import GHCCore

/// One Anthropic Messages stream event: `event: <type>` plus a JSON `data` whose `type` is the same.
package struct AnthropicEvent: Sendable, Equatable {
    /// The event type (`message_start`, `content_block_delta`, …).
    package let type: String
    /// The payload, `type` included.
    package let data: JSONValue

    /// Creates an event; `type` is added to the payload.
    package init(_ type: String, _ fields: [String: JSONValue] = [:]) {
        self.type = type
        var payload = fields
        payload["type"] = .string(type)
        data = .object(payload)
    }

    /// The wire form.
    package var bytes: [UInt8] {
        var output = Array("event: \(type)\ndata: ".utf8)
        JSONWriter.write(data, to: &output)
        output.append(contentsOf: [0x0A, 0x0A])
        return output
    }

    /// An `error` event in Anthropic's shape.
    package static func error(type: String = "api_error", message: String) -> AnthropicEvent {
        AnthropicEvent("error", ["error": ["type": .string(type), "message": .string(message)]])
    }
}
