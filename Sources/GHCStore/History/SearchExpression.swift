import GHCCore

/// A search as a person types it, turned into an FTS5 `MATCH` expression: words match whole tokens (`word*` matches
/// a prefix), `"quoted words"` match a phrase, `AND`, `OR`, `NOT` and parentheses combine them, and `model:`,
/// `endpoint:`, `prompt:` or `answer:` before a word limit it to one column. Punctuation inside a word is kept as
/// FTS5 reads a phrase (`gpt-4.1` finds the tokens `gpt 4 1` in a row), so names never fail to parse.
package enum SearchExpression {
    /// The columns a word may be limited to.
    private static let columns: Set<String> = ["model", "endpoint", "prompt", "answer"]
    /// The operators passed through.
    private static let operators: Set<String> = ["AND", "OR", "NOT"]

    /// The FTS5 expression of `text`, or `nil` when it holds nothing to search for.
    package static func fts(_ text: String) throws(HistoryError) -> String? {
        var parts: [String] = []
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
            } else if character == "(" || character == ")" {
                parts.append(String(character))
                index = text.index(after: index)
            } else if character == "\"" {
                guard let close = text[text.index(after: index)...].firstIndex(of: "\"") else {
                    throw .badSearch("the search has a \" that is never closed")
                }
                let phrase = text[text.index(after: index)..<close]
                let after = text.index(after: close)
                let prefix = after < text.endIndex && text[after] == "*"
                if phrase.contains(where: { $0.isLetter || $0.isNumber }) { parts.append(quoted(phrase) + (prefix ? "*" : "")) }
                index = prefix ? text.index(after: after) : after
            } else {
                let end = text[index...].firstIndex { $0.isWhitespace || $0 == "(" || $0 == ")" || $0 == "\"" } ?? text.endIndex
                if let part = word(text[index..<end]) { parts.append(part) }
                index = end
            }
        }
        return parts.contains { $0 != "(" && $0 != ")" && !operators.contains($0) } ? parts.joined(separator: " ") : nil
    }

    /// One bare word: an operator, `column:word`, `word*` or a word.
    private static func word(_ text: Substring) -> String? {
        if operators.contains(String(text)) { return String(text) }
        if let colon = text.firstIndex(of: ":"), columns.contains(String(text[..<colon]).lowercased()) {
            return word(text[text.index(after: colon)...]).map { "\(text[..<colon].lowercased()) : \($0)" }
        }
        let prefix = text.hasSuffix("*")
        let body = prefix ? text.dropLast() : text
        guard body.contains(where: { $0.isLetter || $0.isNumber }) else { return nil }
        return quoted(body) + (prefix ? "*" : "")
    }

    private static func quoted(_ text: Substring) -> String {
        "\"" + String(text).replacingAll("\"", with: "\"\"") + "\""
    }
}
