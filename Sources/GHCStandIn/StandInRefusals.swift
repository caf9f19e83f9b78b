import GHCCore

/// What Copilot refuses, as the stand-in knows it, so that the proxy's shaping is tested against a strict upstream.
/// Each message is the one Copilot (or Anthropic's validation behind it) sends.
enum StandInRefusals {
    /// `anthropic-beta` tokens Copilot's `/v1/messages` takes.
    static let acceptedBetas: Set<String> = [
        "interleaved-thinking-2025-05-14", "fine-grained-tool-streaming-2025-05-14", "token-efficient-tools-2025-02-19",
        "context-1m-2025-08-07", "effort-2025-11-24",
    ]
    /// Top-level members of a Messages request whose betas Copilot does not take.
    static let refusedMembers = ["context_management", "container", "mcp_servers"]

    /// Why Copilot refuses a call of `model` on `path`: an unknown model, or one not served on that path.
    static func model(_ model: String?, path: String) -> (code: String, message: String)? {
        guard let model, let entry = StandInCatalog.entry(model) else {
            return ("model_not_supported", "The requested model is not supported.")
        }
        // Embedding models list no endpoints; they are served on /embeddings alone.
        let endpoints =
            entry["capabilities"]?["type"]?.stringValue == "embeddings"
            ? ["/embeddings"] : entry["supported_endpoints"]?.arrayValue?.compactMap(\.stringValue) ?? []
        guard endpoints.contains(path) else {
            return ("unsupported_api_for_model", "model \(model) is not accessible via the \(path) endpoint")
        }
        return nil
    }

    /// Why Copilot's `/v1/messages` refuses a request with these betas, in Anthropic's validation wording.
    static func messages(_ request: JSONValue, betas: String?) -> String? {
        let unknownBetas = (betas ?? "").split(separator: ",").map { $0.trimmedWhitespace }.filter {
            !$0.isEmpty && !acceptedBetas.contains($0)
        }
        if !unknownBetas.isEmpty {
            return "Unexpected value(s) `\(unknownBetas.joined(separator: "`, `"))` for the `anthropic-beta` header."
        }
        for member in refusedMembers where request[member] != nil { return "\(member): Extra inputs are not permitted" }
        if request["thinking"]?["display"] != nil { return "thinking.adaptive.display: Extra inputs are not permitted" }
        for (index, tool) in (request["tools"]?.arrayValue ?? []).enumerated() where tool["defer_loading"] != nil {
            return "tools.\(index).custom.defer_loading: Extra inputs are not permitted"
        }
        for (index, message) in (request["messages"]?.arrayValue ?? []).enumerated() {
            let role = message["role"]?.stringValue ?? ""
            guard role == "user" || role == "assistant" else { return "messages.\(index).role: Input should be 'user' or 'assistant'" }
            for key in (message.objectValue ?? [:]).keys.sorted() where key != "role" && key != "content" {
                return "messages.\(index).\(key): Extra inputs are not permitted"
            }
            for block in message["content"]?.arrayValue ?? [] {
                if (block["content"]?.arrayValue ?? []).contains(where: { $0["type"]?.stringValue == "tool_reference" }) {
                    return
                        "messages.\(index).content.tool_result.content: Input tag 'tool_reference' found using 'type' does not match any of the expected tags"
                }
            }
        }
        let model = request["model"]?.stringValue ?? ""
        if let limit = StandInCatalog.entry(model)?["capabilities"]?["limits"]?["max_output_tokens"]?.intValue,
            let asked = request["max_tokens"]?.intValue, asked > limit
        {
            return "max_tokens: \(asked) > \(limit), which is the maximum allowed number of output tokens for \(model)"
        }
        return nil
    }
}
