import GHCCore
import GHCStore

/// Reads token usage out of any dialect's answer: Chat Completions (`prompt_tokens`), Anthropic
/// (`input_tokens` plus cache fields, in `message_start` and `message_delta` too) and Responses
/// (`input_tokens` with `input_tokens_details`). Recorded input excludes cached input (Anthropic's sense).
enum UsageExtraction {
    /// Merges whatever usage `json` carries into `usage` (fields it does not carry are kept).
    static func merge(_ json: JSONValue, into usage: inout TokenUsage) {
        let candidates = [json["usage"], json["message"]?["usage"], json["response"]?["usage"]]
        for case let value? in candidates where value != .null {
            apply(value, to: &usage)
        }
    }

    /// Merges the usage of a JSON document given as bytes, reading only the members that can carry it; returns
    /// `false` when the bytes are not a JSON object.
    @discardableResult
    static func merge(document bytes: [UInt8], into usage: inout TokenUsage) -> Bool {
        guard let ranges = try? JSONParser.skim(bytes, members: usageMembers) else { return false }
        if let range = ranges[0], let value = try? JSONValue.parse(bytes[range]), value != .null { apply(value, to: &usage) }
        for case let range? in ranges.dropFirst() {
            if let value = (try? JSONValue.parse(bytes[range]))?["usage"], value != .null { apply(value, to: &usage) }
        }
        return true
    }

    /// The members of a document that can carry usage.
    private static let usageMembers = ["usage", "message", "response"]

    private static func apply(_ value: JSONValue, to usage: inout TokenUsage) {
        if let prompt = value["prompt_tokens"]?.intValue {
            let cached = value["prompt_tokens_details"]?["cached_tokens"]?.intValue ?? 0
            usage.input = max(0, prompt - cached)
            usage.cacheRead = cached
            if let completion = value["completion_tokens"]?.intValue { usage.output = completion }
            return
        }
        if let details = value["input_tokens_details"], let input = value["input_tokens"]?.intValue {
            let cached = details["cached_tokens"]?.intValue ?? 0
            usage.input = max(0, input - cached)
            usage.cacheRead = cached
            if let output = value["output_tokens"]?.intValue { usage.output = output }
            return
        }
        if let input = value["input_tokens"]?.intValue, input > 0 || usage.input == 0 { usage.input = input }
        if let output = value["output_tokens"]?.intValue { usage.output = output }
        if let read = value["cache_read_input_tokens"]?.intValue, read > 0 || usage.cacheRead == 0 { usage.cacheRead = read }
        if let created = value["cache_creation_input_tokens"]?.intValue, created > 0 || usage.cacheCreation == 0 {
            usage.cacheCreation = created
        }
    }
}
