/// Names on the ACP wire, which older agents wrote in camelCase (`agentMessageChunk`, `endTurn`).
package enum WireName {
    /// `agentMessageChunk` → `agent_message_chunk`; snake_case names are returned unchanged.
    package static func snakeCase(_ name: String) -> String {
        name.reduce(into: "") { text, character in
            if character.isUppercase {
                text += "_" + character.lowercased()
            } else {
                text.append(character)
            }
        }
    }
}
