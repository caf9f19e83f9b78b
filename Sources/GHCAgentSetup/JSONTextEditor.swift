import GHCCore

/// Sets string members of one object inside a JSON (or JSON-with-comments) document by editing its text, so every
/// other key, comment, blank line and indentation stays exactly as it was.
package struct JSONTextEditor {
    /// Why a document cannot be edited.
    package struct Failure: Error, Equatable, CustomStringConvertible {
        /// What is wrong, with the byte offset.
        package let description: String
    }

    private let bytes: [UInt8]
    private var position = 0

    private init(_ text: String) {
        bytes = Array(text.utf8)
    }

    /// `text` with `members` set (as JSON strings) in the top-level object's member `objectKey`, created when missing.
    package static func setting(_ members: [(key: String, value: String)], in objectKey: String, of text: String) throws(Failure) -> String
    {
        if text.allSatisfy(\.isWhitespace) {
            let body = members.map { "    \(quoted($0.key)): \(quoted($0.value))" }.joined(separator: ",\n")
            return "{\n  \(quoted(objectKey)): {\n\(body)\n  }\n}\n"
        }
        var editor = JSONTextEditor(text)
        let root = try editor.object()
        editor.skipSpace()
        guard editor.position == editor.bytes.count else { throw editor.failure("text after the top-level object") }
        var edits: [(range: Range<Int>, text: String)] = []
        if let target = root.members.first(where: { $0.key == objectKey }) {
            guard editor.bytes[target.value.lowerBound] == UInt8(ascii: "{") else {
                throw Failure(description: "\(objectKey) is not an object")
            }
            var inner = JSONTextEditor(text)
            inner.position = target.value.lowerBound
            let object = try inner.object()
            var missing: [(key: String, value: String)] = []
            for member in members {
                if let existing = object.members.last(where: { $0.key == member.key }) {
                    edits.append((existing.value, quoted(member.value)))
                } else {
                    missing.append(member)
                }
            }
            if !missing.isEmpty {
                let pairs = missing.map { "\(quoted($0.key)): \(quoted($0.value))" }
                if let last = object.members.last, editor.indentation(of: object) == nil {
                    // Members written on the braces' line (`{"FOO": "1"}`) get the new ones on that line too.
                    let at = object.trailingComma.map { $0 + 1 } ?? last.value.upperBound
                    edits.append((at..<at, (object.trailingComma == nil ? ", " : " ") + pairs.joined(separator: ", ")))
                } else {
                    let indent = editor.indentation(of: object) ?? editor.indentation(before: target.keyStart) + "  "
                    edits.append(editor.insertion(pairs, into: object, indent: indent))
                }
            }
        } else {
            let indent = editor.indentation(of: root) ?? "  "
            let body = members.map { "\(indent)  \(quoted($0.key)): \(quoted($0.value))" }.joined(separator: ",\n")
            edits.append(editor.insertion(["\(quoted(objectKey)): {\n\(body)\n\(indent)}"], into: root, indent: indent))
        }
        var result = editor.bytes
        for edit in edits.sorted(by: { $0.range.lowerBound > $1.range.lowerBound }) {
            result.replaceSubrange(edit.range, with: Array(edit.text.utf8))
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// The document without comments and trailing commas (plain JSON, to check an edit).
    package static func plainJSON(_ text: String) -> String {
        var editor = JSONTextEditor(text)
        var output: [UInt8] = []
        while let byte = editor.peek {
            if byte == UInt8(ascii: "\"") {
                let start = editor.position
                if (try? editor.string()) == nil { editor.position = editor.bytes.count }
                output += editor.bytes[start..<editor.position]
            } else if editor.skipComment() {
                continue
            } else if byte == UInt8(ascii: ",") {
                editor.position += 1
                var ahead = editor
                ahead.skipSpace()
                if ahead.peek != UInt8(ascii: "}") && ahead.peek != UInt8(ascii: "]") { output.append(byte) }
            } else {
                output.append(byte)
                editor.position += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// A member: where its key starts and the byte range of its value.
    private struct Member {
        var key: String
        var keyStart: Int
        var value: Range<Int>
    }

    /// An object: its members, where its `}` is, and whether a comma follows the last member.
    private struct Object {
        var open: Int
        var close: Int
        var members: [Member]
        var trailingComma: Int?
    }

    private mutating func object() throws(Failure) -> Object {
        skipSpace()
        guard peek == UInt8(ascii: "{") else { throw failure("expected an object") }
        let open = position
        position += 1
        var members: [Member] = []
        var trailingComma: Int?
        while true {
            skipSpace()
            if peek == UInt8(ascii: "}") {
                position += 1
                return Object(open: open, close: position - 1, members: members, trailingComma: trailingComma)
            }
            let keyStart = position
            let key = try string()
            skipSpace()
            guard peek == UInt8(ascii: ":") else { throw failure("expected ':'") }
            position += 1
            skipSpace()
            let start = position
            try skipValue()
            members.append(Member(key: key, keyStart: keyStart, value: start..<position))
            skipSpace()
            trailingComma = nil
            if peek == UInt8(ascii: ",") {
                trailingComma = position
                position += 1
            } else if peek != UInt8(ascii: "}") {
                throw failure("expected ',' or '}'")
            }
        }
    }

    private mutating func skipValue() throws(Failure) {
        switch peek {
        case UInt8(ascii: "{"):
            _ = try object()
        case UInt8(ascii: "["):
            position += 1
            while true {
                skipSpace()
                if peek == UInt8(ascii: "]") {
                    position += 1
                    return
                }
                try skipValue()
                skipSpace()
                if peek == UInt8(ascii: ",") { position += 1 } else if peek != UInt8(ascii: "]") { throw failure("expected ',' or ']'") }
            }
        case UInt8(ascii: "\""):
            _ = try string()
        case .some:
            let start = position
            while let byte = peek, !",}] \t\r\n/".utf8.contains(byte) { position += 1 }
            if position == start { throw failure("expected a value") }
        case nil:
            throw failure("unexpected end")
        }
    }

    private mutating func string() throws(Failure) -> String {
        guard peek == UInt8(ascii: "\"") else { throw failure("expected a string") }
        let start = position
        position += 1
        while let byte = peek, byte != UInt8(ascii: "\"") {
            position += byte == UInt8(ascii: "\\") ? 2 : 1
        }
        guard peek != nil else { throw failure("unterminated string") }
        position += 1
        guard let value = try? JSONParser.parse(bytes[start..<position]), let text = value.stringValue else { throw failure("bad string") }
        return text
    }

    private mutating func skipSpace() {
        while let byte = peek {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r") {
                position += 1
            } else if !skipComment() {
                return
            }
        }
    }

    /// Skips a `// …` or `/* … */` comment at the position; whether there was one.
    private mutating func skipComment() -> Bool {
        guard peek == UInt8(ascii: "/"), position + 1 < bytes.count else { return false }
        if bytes[position + 1] == UInt8(ascii: "/") {
            while let byte = peek, byte != UInt8(ascii: "\n") { position += 1 }
            return true
        }
        if bytes[position + 1] == UInt8(ascii: "*") {
            position += 2
            while position + 1 < bytes.count, !(bytes[position] == UInt8(ascii: "*") && bytes[position + 1] == UInt8(ascii: "/")) {
                position += 1
            }
            position = min(bytes.count, position + 2)
            return true
        }
        return false
    }

    private var peek: UInt8? { position < bytes.count ? bytes[position] : nil }

    /// The whitespace that starts the line holding `offset`.
    private func indentation(before offset: Int) -> String {
        var start = offset
        while start > 0, bytes[start - 1] != UInt8(ascii: "\n") { start -= 1 }
        var end = start
        while end < offset, bytes[end] == UInt8(ascii: " ") || bytes[end] == UInt8(ascii: "\t") { end += 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    /// The indentation of an object's members, when its last member starts a line of its own.
    private func indentation(of object: Object) -> String? {
        guard let last = object.members.last else { return nil }
        let indent = indentation(before: last.keyStart)
        var start = last.keyStart
        while start > 0, bytes[start - 1] == UInt8(ascii: " ") || bytes[start - 1] == UInt8(ascii: "\t") { start -= 1 }
        return start == 0 || bytes[start - 1] == UInt8(ascii: "\n") ? indent : nil
    }

    /// The edit that adds `members` at the end of `object`, each on a line of its own at `indent`.
    private func insertion(_ members: [String], into object: Object, indent: String) -> (range: Range<Int>, text: String) {
        let lines = members.map { "\n" + indent + $0 }
        if let comma = object.trailingComma {
            return (comma + 1..<comma + 1, lines.map { $0 + "," }.joined())
        }
        if let last = object.members.last {
            return (last.value.upperBound..<last.value.upperBound, "," + lines.joined(separator: ","))
        }
        let closing = "\n" + indentation(before: object.open)
        return (object.open + 1..<object.close, lines.joined(separator: ",") + closing)
    }

    private func failure(_ what: String) -> Failure {
        Failure(description: "\(what) at byte \(position)")
    }

    /// `text` as a JSON string literal.
    static func quoted(_ text: String) -> String {
        var bytes: [UInt8] = []
        JSONWriter.writeString(text, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
