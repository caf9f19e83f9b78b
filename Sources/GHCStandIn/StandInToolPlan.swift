import GHCCore

/// How the stand-in decides to call tools, like a polite model: it answers with text unless the user's own words
/// ask for a tool by name (`use Read on notes.txt`, `call get_weather for Paris`), and then it fills the tool's
/// required arguments with values of the right type. It never calls a tool the prompt does not name, so real agents
/// (Claude Code, Codex) are never sent into their write or exec tools with made-up input.
enum StandInToolPlan {
    /// A tool the request offers: its name and its JSON schema.
    struct Offer {
        /// The tool's name.
        let name: String
        /// Its parameters' JSON schema.
        let schema: JSONValue?
    }

    /// A tool call the stand-in makes.
    struct Call {
        /// The tool's name.
        let name: String
        /// Arguments that fit its schema.
        let arguments: JSONValue
    }

    /// Words that ask for a tool.
    static let verbs: Set<String> = ["use", "call", "run", "invoke"]
    /// Words between a tool's name and what it should work on.
    static let connectives: Set<String> = ["on", "for", "with", "to", "in", "at", "of", "the", "tool", "run", ":"]

    /// The calls for `prompt` among `offers`; `requestText` (the whole request) is searched for the working directory
    /// that relative paths are resolved against. `forced` names a tool the request requires (`tool_choice`).
    static func calls(prompt: String, offers: [Offer], requestText: String, forced: String? = nil) -> [Call] {
        let words = prompt.split(whereSeparator: { $0.isWhitespace || $0 == "," }).map { trimmed(String($0)) }
        let asked = words.contains { verbs.contains($0.lowercased()) }
        var named = asked ? offers.filter { offer in words.contains(offer.name) } : []
        if named.isEmpty, let forced, let offer = offers.first(where: { $0.name == forced || forced == "*" }) { named = [offer] }
        let directory = workingDirectory(in: requestText)
        let names = Set(offers.map(\.name))
        return named.map { offer in
            let detail = detail(after: offer.name, in: words, stoppingAt: names)
            return Call(name: offer.name, arguments: arguments(for: offer.schema, detail: detail, directory: directory))
        }
    }

    /// The user's own words of a turn: `<system-reminder>` blocks (context an agent adds) taken out.
    static func ownWords(_ text: String) -> String {
        var output = text
        while let open = output.firstRange(of: "<system-reminder>") {
            guard let close = output[open.upperBound...].firstRange(of: "</system-reminder>") else {
                output.removeSubrange(open.lowerBound...)
                break
            }
            output.removeSubrange(open.lowerBound..<close.upperBound)
        }
        return output.trimmedWhitespace
    }

    /// The working directory an agent names in its prompt (Claude Code's environment block, Codex's `<cwd>`).
    static func workingDirectory(in text: String) -> String? {
        // Searched as bytes: a search by characters over a 300 KB conversation took tens of milliseconds.
        var text = text
        return text.withUTF8 { bytes -> String? in
            for marker in ["Primary working directory: ", "Working directory: ", "<cwd>"] {
                guard let start = firstOffset(of: Array(marker.utf8), in: bytes) else { continue }
                let rest = UnsafeBufferPointer(rebasing: bytes[(start + marker.utf8.count)...])
                let path = rest.prefix { !" \t\n\r\\\"<".utf8.contains($0) }
                if path.first == UInt8(ascii: "/") { return String(decoding: path, as: UTF8.self) }
            }
            return nil
        }
    }

    /// Where `needle` first starts in `haystack`.
    private static func firstOffset(of needle: [UInt8], in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        var index = 0
        while index <= haystack.count - needle.count {
            if haystack[index] == first, needle.indices.allSatisfy({ haystack[index + $0] == needle[$0] }) { return index }
            index += 1
        }
        return nil
    }

    /// The words after a tool's name, up to the next tool's name or `and`, without leading connectives.
    private static func detail(after name: String, in words: [String], stoppingAt names: Set<String>) -> [String] {
        guard let index = words.firstIndex(of: name) else { return [] }
        var rest = Array(words[(index + 1)...])
        if let stop = rest.firstIndex(where: { names.contains($0) || $0.lowercased() == "and" }) { rest = Array(rest[..<stop]) }
        while let first = rest.first, connectives.contains(first.lowercased()) { rest.removeFirst() }
        return rest
    }

    /// Arguments for a schema: its required properties (or all, when it names none), each with a value of its type.
    private static func arguments(for schema: JSONValue?, detail: [String], directory: String?) -> JSONValue {
        let properties = schema?["properties"]?.objectValue ?? [:]
        let required = schema?["required"]?.arrayValue?.compactMap(\.stringValue)
        var arguments: [String: JSONValue] = [:]
        for key in required ?? properties.keys.sorted() {
            arguments[key] = value(for: key, schema: properties[key], detail: detail, directory: directory)
        }
        return .object(arguments)
    }

    private static func value(for key: String, schema: JSONValue?, detail: [String], directory: String?) -> JSONValue {
        if let first = schema?["enum"]?.arrayValue?.first { return first }
        let type = schema?["type"]?.stringValue ?? schema?["type"]?.arrayValue?.first?.stringValue ?? "string"
        switch type {
        case "integer", "number": return .int(max(1, schema?["minimum"]?.intValue ?? 1))
        case "boolean": return false
        case "array": return []
        case "object": return .object([:])
        default: break
        }
        let lowered = key.lowercased()
        if lowered.contains("path") || lowered.contains("file") || lowered.contains("dir") {
            let token = detail.first { $0.contains(".") || $0.contains("/") } ?? "."
            guard !token.hasPrefix("/"), let directory else { return .string(token) }
            return .string(token == "." ? directory : "\(directory)/\(token)")
        }
        return .string(detail.isEmpty ? "stand-in" : detail.joined(separator: " "))
    }

    /// A word without the punctuation that ends a sentence around it.
    private static func trimmed(_ word: String) -> String {
        var word = word
        while let last = word.last, ".,;:!?)\"'".contains(last) { word.removeLast() }
        while let first = word.first, "(\"'".contains(first) { word.removeFirst() }
        return word
    }
}
