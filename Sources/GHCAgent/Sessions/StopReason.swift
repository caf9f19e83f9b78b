/// How a turn ended: the agent's `stopReason`, or `error` when the turn failed.
package enum StopReason: String, Sendable, CaseIterable {
    /// The agent finished.
    case endTurn = "end_turn"
    /// The model hit its token limit.
    case maxTokens = "max_tokens"
    /// The agent hit its request limit for a turn.
    case maxTurnRequests = "max_turn_requests"
    /// The agent refused.
    case refusal
    /// The client cancelled.
    case cancelled
    /// The turn failed (the agent crashed, or answered with an error).
    case error

    /// Reads a stop reason, accepting the camelCase spellings of older agents (`endTurn`).
    package init(wire: String) {
        self = StopReason(rawValue: WireName.snakeCase(wire)) ?? .endTurn
    }

    /// `ghc-api agent chat`'s exit status: 0, 2 refusal, 3 limits, 130 cancelled, 1 error.
    package var exitStatus: Int32 {
        switch self {
        case .endTurn: 0
        case .refusal: 2
        case .maxTokens, .maxTurnRequests: 3
        case .cancelled: 130
        case .error: 1
        }
    }
}
