import GHCCore

/// Estimates the input tokens of an Anthropic request for `count_tokens`.
///
/// Claude's tokenizer is not published, so no vocabulary can ship with the binary; this estimator follows how
/// BPE vocabularies split text: a short word is one token, a long one about one token per four letters, every
/// punctuation mark its own token, characters outside ASCII about one token each, plus fixed overheads per
/// message, per tool and per image. The README states the error measured on the test fixtures.
package enum TokenEstimator {
    /// Tokens of an image Claude is given at an unknown size (a 1092×1092 image is about 1,600).
    static let imageTokens = 1_600
    /// Overhead of one message (role markers).
    static let messageOverhead = 4
    /// Overhead of the tool-use system prompt Anthropic adds when tools are offered.
    static let toolsOverhead = 346

    /// The estimated input tokens of a whole request.
    package static func count(_ request: [String: JSONValue]) -> Int {
        var total = 0
        if let system = AnthropicToChat.systemText(request["system"]) { total += tokens(in: system) + messageOverhead }
        for message in request["messages"]?.arrayValue ?? [] {
            total += messageOverhead + content(message["content"])
        }
        if let tools = request["tools"]?.arrayValue, !tools.isEmpty {
            total += toolsOverhead
            for tool in tools {
                total += tokens(in: tool["name"]?.stringValue ?? "") + tokens(in: tool["description"]?.stringValue ?? "")
                total += tokens(in: (tool["input_schema"] ?? .object([:])).jsonString()) + 8
            }
        }
        return max(1, total)
    }

    private static func content(_ content: JSONValue?) -> Int {
        switch content {
        case .string(let text)?:
            return tokens(in: text)
        case .array(let blocks)?:
            return blocks.reduce(0) { sum, block in
                switch block["type"]?.stringValue {
                case "text"?: return sum + tokens(in: block["text"]?.stringValue ?? "")
                case "thinking"?: return sum + tokens(in: block["thinking"]?.stringValue ?? "")
                case "image"?: return sum + imageTokens
                case "document"?: return sum + tokens(in: block["source"]?["data"]?.stringValue ?? "")
                case "tool_use"?:
                    return sum + tokens(in: block["name"]?.stringValue ?? "") + tokens(in: (block["input"] ?? .object([:])).jsonString())
                        + 4
                case "tool_result"?: return sum + self.content(block["content"]) + 4
                default: return sum
                }
            }
        default:
            return 0
        }
    }

    /// Estimated tokens of one text: words of up to six letters are one token and longer ones one per five
    /// letters; a run of punctuation is one token per two marks (BPE merges pairs such as `":` and `{"`);
    /// a run of line breaks is one token; other scripts (CJK) about three tokens per four characters.
    package static func tokens(in text: String) -> Int {
        var count = 0
        var word = 0
        var punctuation = 0
        var wide = 0
        var inNewlines = false
        func flush() {
            if word > 0 { count += word <= 6 ? 1 : (word + 4) / 5 }
            if punctuation > 0 { count += (punctuation + 1) / 2 }
            if wide > 0 { count += (wide * 3 + 3) / 4 }
            word = 0
            punctuation = 0
            wide = 0
        }
        for scalar in text.unicodeScalars {
            let value = scalar.value
            let isNewline = value == 10 || value == 13
            if !isNewline { inNewlines = false }
            if value < 128 {
                let isWordCharacter = (65...90).contains(value) || (97...122).contains(value) || (48...57).contains(value) || value == 95
                if isWordCharacter {
                    if punctuation > 0 || wide > 0 { flush() }
                    word += 1
                } else if value == 32 || value == 9 {
                    flush()
                } else if isNewline {
                    flush()
                    if !inNewlines { count += 1 }
                    inNewlines = true
                } else {
                    if word > 0 || wide > 0 { flush() }
                    punctuation += 1
                }
            } else if scalar.properties.isAlphabetic && value < 0x2E80 {
                if punctuation > 0 || wide > 0 { flush() }
                word += 2
            } else {
                if word > 0 || punctuation > 0 { flush() }
                wide += 1
            }
        }
        flush()
        return count
    }
}
