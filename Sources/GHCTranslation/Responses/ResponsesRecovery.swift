import GHCCore

/// Two known Copilot Responses failures and how a proxy gets past them (facts-upstream §10.2 and §10.3):
/// - a `200` stream that is only `response.created` then `response.failed` before any output, which a fresh try
///   usually answers;
/// - a `400` because reasoning or tool output that Copilot encrypted earlier can no longer be decrypted, which
///   leaves a conversation stuck unless those items are left out.
package enum ResponsesRecovery {
    /// What one event of a held-back stream prelude means.
    package enum PreludeVerdict: Equatable, Sendable {
        /// `response.created`, `in_progress`, `queued`, a comment: nothing for the client yet.
        case prelude
        /// `response.failed` before any output, with nothing that says why.
        case failedEarly
        /// An explanation of the failure (an `error` event, or an invalid-request code): a blind retry would fail alike.
        case diagnosed
        /// Anything else: the answer has begun and must reach the client.
        case output
    }

    /// Codes that say the request itself is wrong, so trying it again cannot help.
    static let invalidRequestCodes: Set<String> = ["invalid_request_body", "invalid_request_error"]

    /// Judges one event of a Responses stream that has shown no output yet.
    package static func judge(_ event: ServerSentEvent) -> PreludeVerdict {
        if event.isComment || event.data == "[DONE]" { return .prelude }
        guard let json = try? JSONValue.parse(Array(event.data.utf8)) else { return .output }
        switch event.event ?? json["type"]?.stringValue ?? "" {
        case "response.created", "response.in_progress", "response.queued":
            return .prelude
        case "response.failed":
            let output = json["response"]?["output"]?.arrayValue ?? []
            guard output.isEmpty else { return .output }
            let code = json["response"]?["error"]?["code"]?.stringValue ?? ""
            return invalidRequestCodes.contains(code) ? .diagnosed : .failedEarly
        case "error":
            return .diagnosed
        default:
            return .output
        }
    }

    /// The placeholder that replaces tool output Copilot can no longer decrypt.
    package static let omittedOutput = "[ghc-api] tool output omitted: encrypted content could not be decrypted upstream"

    /// Whether an error answer is Copilot failing to decrypt content it encrypted earlier.
    package static func isUndecryptable(_ errorBody: JSONValue?) -> Bool {
        let error = errorBody?["error"] ?? errorBody
        guard invalidRequestCodes.contains(error?["code"]?.stringValue ?? "") else { return false }
        let message = (error?["message"]?.stringValue ?? "").lowercased()
        return
            (message.contains("encrypted content") && message.contains("could not be verified")
            && message.contains("could not be decrypted or parsed"))
            || message.contains("encrypted function output content could not be decrypted or decoded")
    }

    /// The request without what Copilot cannot decrypt: items carrying `encrypted_content` are dropped (with the
    /// outputs of tool calls dropped that way), and tool outputs keep their place with a placeholder text.
    /// `nil` when there is nothing to leave out.
    package static func withoutEncryptedContent(_ request: JSONValue) -> JSONValue? {
        guard var members = request.objectValue, let input = members["input"]?.arrayValue else { return nil }
        var droppedCalls: Set<String> = []
        var kept: [JSONValue] = []
        var changed = false
        for item in input where carriesEncrypted(item) {
            if !(item["type"]?.stringValue ?? "").hasSuffix("_output"), let call = item["call_id"]?.stringValue {
                droppedCalls.insert(call)
            }
        }
        for item in input {
            let type = item["type"]?.stringValue ?? ""
            if type.hasSuffix("_output") {
                if let call = item["call_id"]?.stringValue, droppedCalls.contains(call) {
                    changed = true
                    continue
                }
                if carriesEncrypted(item) {
                    var output = item
                    output["output"] = .string(omittedOutput)
                    kept.append(output)
                    changed = true
                    continue
                }
            } else if carriesEncrypted(item) {
                changed = true
                continue
            }
            kept.append(item)
        }
        guard changed else { return nil }
        members["input"] = .array(kept)
        return .object(members)
    }

    private static func carriesEncrypted(_ value: JSONValue) -> Bool {
        switch value {
        case .object(let members): members["encrypted_content"] != nil || members.values.contains(where: carriesEncrypted)
        case .array(let items): items.contains(where: carriesEncrypted)
        default: false
        }
    }
}
