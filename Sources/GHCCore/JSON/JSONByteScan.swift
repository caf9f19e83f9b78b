/// Finds the next byte a JSON string cannot hold as it is (`"`, `\` or a control character), eight bytes at a time:
/// prompts and code are long runs of ordinary text, and a byte-by-byte scan was the largest cost of reading and
/// writing a 300 KB request.
enum JSONByteScan {
    private static let ones: UInt64 = 0x0101_0101_0101_0101
    private static let highs: UInt64 = 0x8080_8080_8080_8080

    /// The offset of the first `"`, `\` or byte below 0x20 at or after `start`, or `bytes.count` when there is none.
    static func firstSpecial(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int {
        var index = start
        while index + 8 <= bytes.count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if hasSpecial(word) { break }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { return index }
            index += 1
        }
        return index
    }

    /// Whether any byte of `word` is below 0x20, a quote or a backslash (the exact "has a zero byte" and "has a byte
    /// below n" word tests; the byte loop then finds which).
    private static func hasSpecial(_ word: UInt64) -> Bool {
        let below = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslash = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let quoteZero = (quote &- ones) & ~quote & highs
        let backslashZero = (backslash &- ones) & ~backslash & highs
        return (below | quoteZero | backslashZero) != 0
    }
}
