/// A fast, strict JSON reader (RFC 8259) that works on bytes and can report where each top-level member's
/// value lies, so the proxy can change one field and forward every other byte untouched.
package struct JSONParser: ~Copyable {
    /// Deepest nesting accepted; deeper documents are refused rather than risking the stack.
    package static let maximumDepth = 128

    /// The document.
    let bytes: UnsafeRawBufferPointer
    /// Where reading is.
    var index = 0
    /// How deeply nested the value being read is.
    var depth = 0

    /// A reader at the start of `bytes`.
    init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Parses a whole document.
    package static func parse(_ data: some Collection<UInt8>) throws(JSONParseError) -> JSONValue {
        try parseDocument(data).value
    }

    /// Parses a whole document and, when it is an object, the byte ranges of its members' values.
    package static func parseDocument(
        _ data: some Collection<UInt8>
    ) throws(JSONParseError) -> (value: JSONValue, memberRanges: [String: Range<Int>]) {
        let result: Result<(JSONValue, [String: Range<Int>]), JSONParseError> =
            data.withContiguousStorageIfAvailable { buffer in
                parseContiguous(UnsafeRawBufferPointer(buffer))
            } ?? Array(data).withUnsafeBytes { parseContiguous($0) }
        return try result.get()
    }

    private static func parseContiguous(_ raw: UnsafeRawBufferPointer) -> Result<(JSONValue, [String: Range<Int>]), JSONParseError> {
        var parser = JSONParser(raw)
        do throws(JSONParseError) {
            parser.skipWhitespace()
            var ranges: [String: Range<Int>] = [:]
            let value = try parser.parseValue(ranges: &ranges, topLevel: true)
            parser.skipWhitespace()
            guard parser.index == raw.count else { throw parser.error("unexpected data after the JSON value") }
            return .success((value, ranges))
        } catch {
            return .failure(error)
        }
    }

    /// An error at the current place.
    func error(_ message: String) -> JSONParseError {
        JSONParseError(message: message, offset: index)
    }

    /// The byte at the current place, `nil` at the end.
    var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    /// Moves past whitespace.
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func parseValue(ranges: inout [String: Range<Int>], topLevel: Bool) throws(JSONParseError) -> JSONValue {
        guard let byte = current else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"): return try parseObject(ranges: &ranges, topLevel: topLevel)
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try parseNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    /// Moves past `literal`, which must come next.
    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let count = literal.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end of input") }
        let expected = UnsafeRawBufferPointer(start: literal.utf8Start, count: count)
        for offset in 0..<count where bytes[index + offset] != expected[offset] {
            throw error("invalid literal")
        }
        index += count
    }

    /// Goes one level deeper, refusing documents nested deeper than `maximumDepth`.
    mutating func enter() throws(JSONParseError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("JSON nesting is deeper than \(Self.maximumDepth) levels") }
    }

    private mutating func parseObject(ranges: inout [String: Range<Int>], topLevel: Bool) throws(JSONParseError) -> JSONValue {
        var members: [String: JSONValue] = [:]
        try readObject { parser throws(JSONParseError) in
            let key = try parser.parseString()
            try parser.skipToValue()
            let start = parser.index
            var ignored: [String: Range<Int>] = [:]
            members[key] = try parser.parseValue(ranges: &ignored, topLevel: false)
            if topLevel { ranges[key] = start..<parser.index }
        }
        return .object(members)
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        var elements: [JSONValue] = []
        try readArray { parser throws(JSONParseError) in
            var ignored: [String: Range<Int>] = [:]
            elements.append(try parser.parseValue(ranges: &ignored, topLevel: false))
        }
        return .array(elements)
    }

    /// Moves through an object (the current byte is its `{`), reading each member with `member`, which starts at the
    /// member's name. `parse` and `skim` share it, so both accept and refuse the same objects.
    mutating func readObject(_ member: (inout JSONParser) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "}") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            guard current == UInt8(ascii: "\"") else { throw error("expected a member name") }
            try member(&self)
            skipWhitespace()
            guard let next = current else { throw error("unexpected end of input in an object") }
            index += 1
            if next == UInt8(ascii: "}") { break }
            guard next == UInt8(ascii: ",") else { throw JSONParseError(message: "expected ',' or '}' in an object", offset: index - 1) }
        }
        depth -= 1
    }

    /// Moves past the `:` after a member name, to the start of its value.
    mutating func skipToValue() throws(JSONParseError) {
        skipWhitespace()
        guard current == UInt8(ascii: ":") else { throw error("expected ':' after a member name") }
        index += 1
        skipWhitespace()
    }

    /// Moves through an array (the current byte is its `[`), reading each element with `element`. `parse` and `skim`
    /// share it.
    mutating func readArray(_ element: (inout JSONParser) throws(JSONParseError) -> Void) throws(JSONParseError) {
        try enter()
        index += 1
        skipWhitespace()
        if current == UInt8(ascii: "]") {
            index += 1
            depth -= 1
            return
        }
        while true {
            skipWhitespace()
            try element(&self)
            skipWhitespace()
            guard let next = current else { throw error("unexpected end of input in an array") }
            index += 1
            if next == UInt8(ascii: "]") { break }
            guard next == UInt8(ascii: ",") else { throw JSONParseError(message: "expected ',' or ']' in an array", offset: index - 1) }
        }
        depth -= 1
    }

    /// Reads a string (the current byte is its opening quote).
    mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        var runStart = index
        var unescaped: [UInt8]?
        while true {
            index = JSONByteScan.firstSpecial(in: bytes, from: index)
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            if byte < 0x20 { throw error("control character in a string") }
            let run = UnsafeRawBufferPointer(rebasing: bytes[runStart..<index])
            index += 1
            if byte == UInt8(ascii: "\"") {
                guard var buffer = unescaped else { return String(decoding: run, as: UTF8.self) }
                buffer.append(contentsOf: run)
                return String(decoding: buffer, as: UTF8.self)
            }
            // A backslash: the run so far, then the escaped character.
            var buffer = unescaped ?? []
            unescaped = nil
            buffer.append(contentsOf: run)
            guard let escape = current else { throw error("unexpected end of input in a string") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): buffer.append(escape)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"): appendUTF8(of: try parseUnicodeEscape(), to: &buffer)
            default: throw error("invalid escape in a string")
            }
            unescaped = buffer
            runStart = index
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("unexpected end of input in a \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt32
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            value = value << 4 | digit
        }
        return value
    }

    /// Reads the hex digits of a `\u` escape (and of the low half of a surrogate pair).
    mutating func parseUnicodeEscape() throws(JSONParseError) -> Unicode.Scalar {
        let first = try parseHex4()
        if (0xD800...0xDBFF).contains(first) {
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                let saved = index
                index += 2
                let second = try parseHex4()
                if (0xDC00...0xDFFF).contains(second) {
                    return Unicode.Scalar(0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)) ?? "\u{FFFD}"
                }
                index = saved
            }
            return "\u{FFFD}"
        }
        return Unicode.Scalar(first) ?? "\u{FFFD}"
    }

    private func appendUTF8(of scalar: Unicode.Scalar, to buffer: inout [UInt8]) {
        buffer.append(contentsOf: String(Character(scalar)).utf8)
    }

    private mutating func parseNumber() throws(JSONParseError) -> JSONValue {
        let (start, isInteger) = try scanNumber()
        return try numberValue(from: start, isInteger: isInteger)
    }

    /// Moves past a number, checking its grammar; returns where it started and whether it is an integer.
    mutating func scanNumber() throws(JSONParseError) -> (start: Int, isInteger: Bool) {
        let start = index
        var isInteger = true
        if current == UInt8(ascii: "-") { index += 1 }
        guard let first = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw error("invalid number") }
        if first == UInt8(ascii: "0") {
            index += 1
        } else {
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        }
        if current == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw error("invalid number") }
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        }
        if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if current == UInt8(ascii: "+") || current == UInt8(ascii: "-") { index += 1 }
            guard let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { throw error("invalid number") }
            while let byte = current, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) { index += 1 }
        }
        return (start, isInteger)
    }

    /// The value of the number scanned from `start` to the current index.
    func numberValue(from start: Int, isInteger: Bool) throws(JSONParseError) -> JSONValue {
        let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let value = Int(text) { return .int(value) }
        guard let value = Double(text) else { throw JSONParseError(message: "invalid number", offset: start) }
        // 1e999 is valid JSON text but no number this program can hold or write back.
        guard value.isFinite else { throw JSONParseError(message: "number out of range", offset: start) }
        return .double(value)
    }
}

/// Why a document is not valid JSON, and where.
package struct JSONParseError: Error, Equatable, CustomStringConvertible {
    /// What is wrong.
    package let message: String
    /// The byte offset where it was noticed.
    package let offset: Int

    /// `message at byte N`.
    package var description: String { "\(message) at byte \(offset)" }
}
