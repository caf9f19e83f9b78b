import GHCCore

/// One choice an agent offers in `session/request_permission`.
package struct PermissionOption: Sendable, Equatable {
    /// The agent's id for it (agent-defined: `allow`, `approved`, …).
    package var id: String
    /// Its label.
    package var name: String
    /// What it means: `allow_once`, `allow_always`, `reject_once` or `reject_always`.
    package var kind: String

    /// An option.
    package init(id: String, name: String, kind: String) {
        self.id = id
        self.name = name
        self.kind = kind
    }

    /// Reads the options of a request (entries without an id are skipped).
    package static func list(_ value: JSONValue?) -> [PermissionOption] {
        (value?.arrayValue ?? []).compactMap { option in
            guard let id = option["optionId"]?.stringValue else { return nil }
            return PermissionOption(id: id, name: option["name"]?.stringValue ?? id, kind: option["kind"]?.stringValue ?? "")
        }
    }

    /// The option as the wire writes it.
    package var json: JSONValue { ["optionId": .string(id), "name": .string(name), "kind": .string(kind)] }
}

/// What the user (or a policy) answered.
package enum PermissionOutcome: Sendable, Equatable {
    /// The option with this id.
    case selected(String)
    /// No choice: the turn was cancelled or the question dismissed.
    case cancelled

    /// `{"outcome": "selected", "optionId": …}` or `{"outcome": "cancelled"}`, the spec's `RequestPermissionOutcome`.
    package var json: JSONValue {
        switch self {
        case .selected(let id): ["outcome": "selected", "optionId": .string(id)]
        case .cancelled: ["outcome": "cancelled"]
        }
    }
}

/// A permission question waiting for an answer.
package struct PermissionRequest: Sendable, Equatable {
    /// This client's id for the question (`perm-1`), used to answer it.
    package var id: String
    /// The tool call it is about (`toolCallId`, `title`, `kind`, …).
    package var toolCall: JSONValue
    /// The choices, in the agent's order.
    package var options: [PermissionOption]

    /// The question as the page's `permission` event carries it.
    package var json: JSONValue {
        ["request_id": .string(id), "tool_call": toolCall, "options": .array(options.map(\.json))]
    }
}

/// How permission questions are answered when nobody is asked.
package enum PermissionPolicy: Sendable, Equatable {
    /// Ask the user (terminal or browser).
    case ask
    /// Allow once (`--yes`, bypass): the `allow_once` option, else `allow_always`.
    case allow
    /// Reject (`--deny`): the `reject_once` option, else `reject_always`, else cancelled.
    case deny

    /// The answer this policy gives to `options`, or nil when the user must be asked.
    package func decide(_ options: [PermissionOption]) -> PermissionOutcome? {
        switch self {
        case .ask: return nil
        case .allow: return Self.pick(options, kinds: ["allow_once", "allow_always"]) ?? .cancelled
        case .deny: return Self.pick(options, kinds: ["reject_once", "reject_always"]) ?? .cancelled
        }
    }

    /// The first option of the first of `kinds` that is offered, chosen by kind and never by id or position.
    package static func pick(_ options: [PermissionOption], kinds: [String]) -> PermissionOutcome? {
        for kind in kinds {
            if let option = options.first(where: { $0.kind == kind }) { return .selected(option.id) }
        }
        return nil
    }
}

/// What a session tells whoever runs a turn, in order.
package enum AgentEvent: Sendable, Equatable {
    /// A `session/update`'s `update` object.
    case update(JSONValue)
    /// A permission question for the user.
    case permission(PermissionRequest)
    /// A question was answered (by the user, a policy, or cancel).
    case permissionResolved(id: String, outcome: PermissionOutcome)
}
