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
            UsageFields(value).apply(to: &usage)
        }
    }

    /// Merges the usage of a JSON document given as bytes, reading only the members that can carry it (skimmed, no
    /// tree is built); returns `false` when the bytes are not a JSON object.
    @discardableResult
    static func merge(document bytes: [UInt8], into usage: inout TokenUsage) -> Bool {
        guard let ranges = try? JSONParser.skim(bytes, members: usageMembers) else { return false }
        if let range = ranges[0] { UsageFields(document: Array(bytes[range]))?.apply(to: &usage) }
        for case let range? in ranges.dropFirst() {
            if let inner = member("usage", of: Array(bytes[range])) { UsageFields(document: inner)?.apply(to: &usage) }
        }
        return true
    }

    /// The bytes of one member of a JSON object given as bytes; `nil` when it is absent or the bytes are no object.
    fileprivate static func member(_ name: String, of bytes: [UInt8]) -> [UInt8]? {
        guard let ranges = try? JSONParser.skim(bytes, members: [name]), let range = ranges[0] else { return nil }
        return Array(bytes[range])
    }

    /// The members of a document that can carry usage.
    private static let usageMembers = ["usage", "message", "response"]
}

/// The members of a usage object that `apply` reads, in any dialect's names.
private struct UsageFields {
    var promptTokens: Int?
    var completionTokens: Int?
    var promptCached: Int?
    var inputTokens: Int?
    var outputTokens: Int?
    /// Whether `input_tokens_details` is present (Responses' usage).
    var hasInputDetails = false
    var inputCached: Int?
    var cacheRead: Int?
    var cacheCreation: Int?

    /// The member names, in the order `init(document:)` skims them.
    private static let names = [
        "prompt_tokens", "completion_tokens", "prompt_tokens_details", "input_tokens", "output_tokens", "input_tokens_details",
        "cache_read_input_tokens", "cache_creation_input_tokens",
    ]

    /// The fields of a parsed usage object.
    init(_ value: JSONValue) {
        promptTokens = value["prompt_tokens"]?.intValue
        completionTokens = value["completion_tokens"]?.intValue
        promptCached = value["prompt_tokens_details"]?["cached_tokens"]?.intValue
        inputTokens = value["input_tokens"]?.intValue
        outputTokens = value["output_tokens"]?.intValue
        hasInputDetails = value["input_tokens_details"] != nil
        inputCached = value["input_tokens_details"]?["cached_tokens"]?.intValue
        cacheRead = value["cache_read_input_tokens"]?.intValue
        cacheCreation = value["cache_creation_input_tokens"]?.intValue
    }

    /// The fields of a usage object given as bytes; `nil` when it is not an object (`null`, say).
    init?(document bytes: [UInt8]) {
        guard let ranges = try? JSONParser.skim(bytes, members: Self.names) else { return nil }
        func int(_ index: Int) -> Int? { ranges[index].flatMap { try? JSONValue.parse(bytes[$0]) }?.intValue }
        func cached(_ index: Int) -> Int? {
            guard let range = ranges[index], let cached = UsageExtraction.member("cached_tokens", of: Array(bytes[range])) else {
                return nil
            }
            return (try? JSONValue.parse(cached))?.intValue
        }
        promptTokens = int(0)
        completionTokens = int(1)
        promptCached = cached(2)
        inputTokens = int(3)
        outputTokens = int(4)
        hasInputDetails = ranges[5] != nil
        inputCached = cached(5)
        cacheRead = int(6)
        cacheCreation = int(7)
    }

    /// Merges these fields into `usage`: Chat Completions' names, then Responses', then Anthropic's (whose
    /// streamed events carry some fields in `message_start` and others in `message_delta`).
    func apply(to usage: inout TokenUsage) {
        if let promptTokens {
            let cached = promptCached ?? 0
            usage.input = max(0, promptTokens - cached)
            usage.cacheRead = cached
            if let completionTokens { usage.output = completionTokens }
            return
        }
        if hasInputDetails, let inputTokens {
            let cached = inputCached ?? 0
            usage.input = max(0, inputTokens - cached)
            usage.cacheRead = cached
            if let outputTokens { usage.output = outputTokens }
            return
        }
        if let inputTokens, inputTokens > 0 || usage.input == 0 { usage.input = inputTokens }
        if let outputTokens { usage.output = outputTokens }
        if let cacheRead, cacheRead > 0 || usage.cacheRead == 0 { usage.cacheRead = cacheRead }
        if let cacheCreation, cacheCreation > 0 || usage.cacheCreation == 0 { usage.cacheCreation = cacheCreation }
    }
}
