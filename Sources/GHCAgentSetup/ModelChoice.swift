import GHCCore

/// Picks the models a tool is pointed at from the live catalog: the best Claude model for the main one, and a model
/// that costs no premium requests (0×) for background and small calls.
package struct ModelChoice: Sendable {
    /// A catalog entry as the choice needs it.
    package struct Entry: Sendable, Equatable {
        /// The model id.
        package var id: String
        /// The vendor (`Anthropic`, `OpenAI`, …).
        package var vendor: String
        /// The premium-request multiplier, when the catalog gives one.
        package var multiplier: Double?
        /// The endpoints it speaks.
        package var endpoints: [String]

        /// An entry.
        package init(id: String, vendor: String, multiplier: Double?, endpoints: [String]) {
            self.id = id
            self.vendor = vendor
            self.multiplier = multiplier
            self.endpoints = endpoints
        }
    }

    /// Reads a catalog entry as Copilot's `/models` or the proxy's `/v1/models` writes it; nil for embeddings.
    package static func entry(_ raw: JSONValue) -> Entry? {
        guard let id = raw["id"]?.stringValue, raw["capabilities"]?["type"]?.stringValue != "embeddings" else { return nil }
        return Entry(
            id: id,
            vendor: raw["vendor"]?.stringValue ?? raw["owned_by"]?.stringValue ?? "",
            multiplier: raw["billing"]?["multiplier"]?.doubleValue,
            endpoints: (raw["supported_endpoints"]?.arrayValue ?? []).compactMap(\.stringValue)
        )
    }

    /// The catalog's chat models.
    package let entries: [Entry]

    /// A choice over `entries`.
    package init(entries: [Entry]) {
        self.entries = entries
    }

    /// The newest Opus, else the newest Sonnet, else any Claude model.
    package var bestClaude: String? {
        let claude = entries.filter { $0.id.hasPrefix("claude-") }
        for family in ["opus", "sonnet", "haiku"] {
            let members = claude.filter { $0.id.contains(family) }.map(\.id)
            if let best = members.max(by: { Self.older($0, $1) }) { return best }
        }
        return claude.first?.id
    }

    /// A 0× model (by the catalog's multiplier; `gpt-5-mini` and `gpt-4.1` are 0× on every paid plan), else the
    /// newest Haiku.
    package var freeSmall: String? {
        let free = entries.filter { $0.multiplier == 0 }.map(\.id)
        for preferred in ["gpt-5-mini", "gpt-4.1", "gpt-4o"] where free.contains(preferred) || (free.isEmpty && has(preferred)) {
            return preferred
        }
        if let first = free.first { return first }
        return entries.map(\.id).filter { $0.contains("haiku") }.max { Self.older($0, $1) }
    }

    /// The newest Codex model that speaks Responses, else the newest GPT.
    package var bestCodex: String? {
        let responses = entries.filter { $0.endpoints.contains("/responses") || $0.endpoints.contains("/v1/responses") }.map(\.id)
        if let codex = responses.filter({ $0.contains("codex") }).max(by: { Self.older($0, $1) }) { return codex }
        return responses.filter { $0.hasPrefix("gpt-") }.max { Self.older($0, $1) }
    }

    /// Whether the catalog has `id`.
    package func has(_ id: String) -> Bool { entries.contains { $0.id == id } }

    /// A warning for a model the catalog does not have, naming those it has; nil when it has it (or no catalog).
    package func warning(for id: String) -> String? {
        guard !entries.isEmpty, !has(id) else { return nil }
        return "\(id) is not in the Copilot catalog; it has: \(entries.map(\.id).joined(separator: ", "))"
    }

    /// Whether `first`'s version is below `second`'s, by the numbers in the ids (`claude-opus-4.8` < `claude-opus-5.5`).
    private static func older(_ first: String, _ second: String) -> Bool {
        let numbers = { (id: String) in id.split { !$0.isNumber }.compactMap { Int($0) } }
        return numbers(first).lexicographicallyPrecedes(numbers(second))
    }
}
