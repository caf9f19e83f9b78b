extension JSONParser {
    /// Checks a whole document as strictly as `parse` does, without building it, and finds the values of the top-level
    /// members named in `names`: their byte ranges, in the order of `names` (`nil` for a member that is absent; the
    /// last one wins when a name repeats, as in `parse`). Returns `nil` for a valid document that is not an object.
    ///
    /// A relay that only needs to know that an event is JSON and read one or two of its members (its `usage`, its
    /// `type`) skims it: no dictionaries, strings or arrays are made for the rest.
    package static func skim(_ bytes: [UInt8], members names: [String]) throws(JSONParseError) -> [Range<Int>?]? {
        try bytes.withUnsafeBytes { skimContiguous($0, names: names) }.get()
    }

    /// `skim` of the UTF-8 bytes of `text` (an event's data): the ranges are offsets into them.
    package static func skim(_ text: String, members names: [String]) throws(JSONParseError) -> [Range<Int>?]? {
        var text = text
        return try text.withUTF8 { skimContiguous(UnsafeRawBufferPointer($0), names: names) }.get()
    }

    private static func skimContiguous(_ raw: UnsafeRawBufferPointer, names: [String]) -> Result<[Range<Int>?]?, JSONParseError> {
        var parser = JSONParser(raw)
        do throws(JSONParseError) {
            parser.skipWhitespace()
            var ranges: [Range<Int>?]?
            if parser.current == UInt8(ascii: "{") {
                ranges = try parser.skimTopLevelObject(names: names)
            } else {
                try parser.skipValue()
            }
            parser.skipWhitespace()
            guard parser.index == raw.count else { throw parser.error("unexpected data after the JSON value") }
            return .success(ranges)
        } catch {
            return .failure(error)
        }
    }

    private mutating func skimTopLevelObject(names: [String]) throws(JSONParseError) -> [Range<Int>?] {
        var ranges = [Range<Int>?](repeating: nil, count: names.count)
        try readObject { parser throws(JSONParseError) in
            let slot = try parser.skimMemberName(among: names)
            try parser.skipToValue()
            let start = parser.index
            try parser.skipValue()
            if let slot { ranges[slot] = start..<parser.index }
        }
        return ranges
    }

    /// Moves past a member name; returns its place in `names`, if it is one. A name without escapes is compared as
    /// bytes (no string is made); one with escapes is decoded first.
    private mutating func skimMemberName(among names: [String]) throws(JSONParseError) -> Int? {
        let quote = index
        try skipString()
        let name = UnsafeRawBufferPointer(rebasing: bytes[(quote + 1)..<(index - 1)])
        guard name.contains(UInt8(ascii: "\\")) else { return names.firstIndex { $0.utf8.elementsEqual(name) } }
        let end = index
        index = quote
        let decoded = try parseString()
        index = end
        return names.firstIndex(of: decoded)
    }

    private mutating func skipValue() throws(JSONParseError) {
        guard let byte = current else { throw error("unexpected end of input") }
        switch byte {
        case UInt8(ascii: "{"):
            try readObject { parser throws(JSONParseError) in
                try parser.skipString()
                try parser.skipToValue()
                try parser.skipValue()
            }
        case UInt8(ascii: "["): try readArray { parser throws(JSONParseError) in try parser.skipValue() }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try expectLiteral("true")
        case UInt8(ascii: "f"): try expectLiteral("false")
        case UInt8(ascii: "n"): try expectLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try skipNumber()
        default: throw error("unexpected character '\(Character(Unicode.Scalar(byte)))'")
        }
    }

    /// Moves past a string (the current byte is its opening quote), checking it as `parseString` does.
    private mutating func skipString() throws(JSONParseError) {
        index += 1
        while true {
            index = JSONByteScan.firstSpecial(in: bytes, from: index)
            guard index < bytes.count else { throw error("unterminated string") }
            let byte = bytes[index]
            if byte < 0x20 { throw error("control character in a string") }
            index += 1
            if byte == UInt8(ascii: "\"") { return }
            guard let escape = current else { throw error("unexpected end of input in a string") }
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"), UInt8(ascii: "n"),
                UInt8(ascii: "r"), UInt8(ascii: "t"):
                break
            case UInt8(ascii: "u"): _ = try parseUnicodeEscape()
            default: throw error("invalid escape in a string")
            }
        }
    }

    /// Moves past a number, refusing what `parse` refuses: an integer of up to 18 digits always fits, anything else
    /// is converted to be sure it is finite.
    private mutating func skipNumber() throws(JSONParseError) {
        let (start, isInteger) = try scanNumber()
        if isInteger, index - start <= 18 { return }
        _ = try numberValue(from: start, isInteger: isInteger)
    }
}
