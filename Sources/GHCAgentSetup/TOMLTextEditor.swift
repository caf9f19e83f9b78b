/// Sets string keys at the top of a TOML document and in one of its tables by editing lines, so comments, key
/// order, other tables (Codex's `[projects.*]`) and formatting stay as they were. Values are written as TOML basic
/// strings; nothing is built by joining user text into TOML unescaped.
package struct TOMLTextEditor {
    /// Why a document cannot be edited safely.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        /// What is wrong.
        package let description: String
    }

    /// One line and what it is.
    private struct Line {
        var text: String
        /// The table path of a `[header]` line (`model_providers.ghc-api`), nil otherwise.
        var header: [String]?
        /// The key of a `key = value` line outside multi-line values, nil otherwise.
        var key: [String]?
        /// Whether the line continues a multi-line string or array begun above.
        var continuation = false
    }

    private var lines: [Line]
    private let endsWithNewline: Bool

    private init(_ text: String) throws(Failure) {
        endsWithNewline = text.isEmpty || text.hasSuffix("\n")
        var parsed: [Line] = []
        var openString: String?
        var depth = 0
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast(text.hasSuffix("\n") ? 1 : 0) {
            let line = String(raw)
            if let quote = openString {
                if Self.count(quote, in: line) % 2 == 1 { openString = nil }
                parsed.append(Line(text: line, header: nil, key: nil, continuation: true))
                continue
            }
            if depth > 0 {
                depth += Self.bracketBalance(line)
                parsed.append(Line(text: line, header: nil, key: nil, continuation: true))
                continue
            }
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("[") {
                parsed.append(Line(text: line, header: try Self.headerPath(String(trimmed)), key: nil))
                continue
            }
            guard !trimmed.isEmpty, !trimmed.hasPrefix("#"), let equals = Self.assignment(String(trimmed)) else {
                parsed.append(Line(text: line, header: nil, key: nil))
                continue
            }
            let key = try Self.keyPath(String(trimmed[..<trimmed.index(trimmed.startIndex, offsetBy: equals)]))
            let value = String(trimmed.dropFirst(equals + 1))
            for quote in ["\"\"\"", "'''"] where Self.count(quote, in: value) % 2 == 1 { openString = quote }
            if openString == nil { depth = max(0, Self.bracketBalance(value)) }
            parsed.append(Line(text: line, header: nil, key: key))
        }
        if openString != nil { throw Failure(description: "a multi-line string is not closed") }
        lines = parsed
    }

    /// `text` with each of `top` set before the first table, and each of `table`'s members set in `[tablePath]`
    /// (created before the first `[projects…]` table, else at the end).
    package static func setting(
        top: [(key: String, value: String)],
        table tablePath: [String],
        _ members: [(key: String, value: String)],
        in text: String
    ) throws(Failure) -> String {
        var editor = try TOMLTextEditor(text)
        if editor.lines.contains(where: { $0.key == [tablePath[0]] || $0.key.map { $0.starts(with: tablePath) } == true }) {
            throw Failure(
                description: "\(tablePath.joined(separator: ".")) is written as an inline table or dotted keys; change it by hand"
            )
        }
        for member in members { editor.set(member.key, member.value, inTable: tablePath) }
        for member in top { editor.set(member.key, member.value, inTable: nil) }
        var result = editor.lines.map(\.text).joined(separator: "\n")
        if editor.endsWithNewline || !result.isEmpty { result += "\n" }
        return result
    }

    private mutating func set(_ key: String, _ value: String, inTable table: [String]?) {
        let assignment = "\(Self.bareOrQuoted(key)) = \(Self.basicString(value))"
        let range = section(table)
        if let range, let index = range.first(where: { lines[$0].key == [key] }) {
            let indent = String(lines[index].text.prefix { $0 == " " || $0 == "\t" })
            lines[index] = Line(text: indent + assignment + Self.trailingComment(lines[index].text), header: nil, key: [key])
            return
        }
        if let range {
            var after = (range.last(where: { lines[$0].key != nil }) ?? range.lowerBound - 1) + 1
            while after < range.upperBound, lines[after].continuation { after += 1 }
            lines.insert(Line(text: assignment, header: nil, key: [key]), at: after)
            return
        }
        guard let table else { return }
        let header = "[" + table.map(Self.bareOrQuoted).joined(separator: ".") + "]"
        let projects = lines.firstIndex { $0.header?.first == "projects" }
        var block = [Line(text: header, header: table, key: nil), Line(text: assignment, header: nil, key: [key])]
        if let projects {
            block.append(Line(text: "", header: nil, key: nil))
            lines.insert(contentsOf: block, at: projects)
        } else {
            if let last = lines.last, !last.text.trimmingSpaces.isEmpty { block.insert(Line(text: "", header: nil, key: nil), at: 0) }
            lines.append(contentsOf: block)
        }
    }

    /// The lines of a table's body (after its header), or of the top before the first header; nil for a missing table.
    private func section(_ table: [String]?) -> Range<Int>? {
        guard let table else {
            return 0..<(lines.firstIndex { $0.header != nil } ?? lines.count)
        }
        guard let header = lines.firstIndex(where: { $0.header == table }) else { return nil }
        let end = lines[(header + 1)...].firstIndex { $0.header != nil } ?? lines.count
        return (header + 1)..<end
    }

    private static func headerPath(_ line: String) throws(Failure) -> [String] {
        let array = line.hasPrefix("[[")
        var body = line.dropFirst(array ? 2 : 1)
        guard let close = body.firstIndex(of: "]") else { throw Failure(description: "a table header is not closed: \(line)") }
        body = body[..<close]
        return try keyPath(String(body))
    }

    /// Splits a dotted key (`a."b.c".d`) into its parts.
    private static func keyPath(_ text: String) throws(Failure) -> [String] {
        var parts: [String] = []
        var current = ""
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "." {
                parts.append(current.trimmingSpaces)
                current = ""
            } else {
                current.append(character)
            }
        }
        if quote != nil { throw Failure(description: "a quoted key is not closed: \(text)") }
        parts.append(current.trimmingSpaces)
        return parts
    }

    /// The offset of the `=` of a `key = value` line (outside quoted keys).
    private static func assignment(_ line: String) -> Int? {
        var quote: Character?
        for (offset, character) in line.enumerated() {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "=" {
                return offset
            } else if character == "#" {
                return nil
            }
        }
        return nil
    }

    /// ` # comment` after a value on the line, if any.
    private static func trailingComment(_ line: String) -> String {
        var quote: Character?
        var escaped = false
        for (offset, character) in line.enumerated() {
            if escaped {
                escaped = false
            } else if let open = quote {
                if character == "\\" && open == "\"" { escaped = true } else if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                return " " + String(line.dropFirst(offset))
            }
        }
        return ""
    }

    private static func count(_ needle: String, in text: String) -> Int {
        var count = 0
        var rest = Substring(text)
        while let range = rest.firstRange(of: needle) {
            count += 1
            rest = rest[range.upperBound...]
        }
        return count
    }

    /// `[` minus `]` outside strings and comments (for arrays that span lines).
    private static func bracketBalance(_ text: String) -> Int {
        var balance = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "#" {
                break
            } else if character == "[" {
                balance += 1
            } else if character == "]" {
                balance -= 1
            }
        }
        return balance
    }

    private static func bareOrQuoted(_ key: String) -> String {
        let bare =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
            }
        return bare ? key : basicString(key)
    }

    /// `text` as a TOML basic string: quotes, backslashes and control characters escaped.
    static func basicString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            case "\r": result += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
