import GHCCore
import PropertyBased
import Testing

/// Generated inputs against the JSON and SSE parsers: no crash, no hang, bounded memory, and the same answer
/// however the bytes are split.
@Suite struct ParserFuzzTests {
    /// Bytes that make JSON interesting: structure, literals, escapes, numbers at their limits, and non-ASCII.
    static let jsonPieces: [[UInt8]] =
        [
            "{", "}", "[", "]", ":", ",", "\"", "\\", "\\u", "\\ud83d", "\\udc00", "0", "-", "1e999", "-0.0e-9", "9223372036854775808",
            "true", "false", "null", "nan", "Infinity", " ", "\n", "\"model\"", "\"stream\"", "é", "😀", "\u{0}", "\u{7f}",
        ].map { Array($0.utf8) } + [[0xFF], [0xC3], [0xE2, 0x82], [0xED, 0xA0, 0x80]]

    /// Concatenations of up to `count` pieces.
    static func pasted(_ pieces: [[UInt8]], count: ClosedRange<Int>) -> Generator<[UInt8], AnySequence<Any>> {
        Gen<Int>.int(in: 0...(pieces.count - 1)).array(of: count).map { (picks: [Int]) -> [UInt8] in picks.flatMap { pieces[$0] } }
            .eraseToAny()
    }

    static let bytes = Gen<UInt8>.value(in: 0...255).array(of: 0...200)

    @Test func theJSONParserAnswersOrRefusesEveryInput() async {
        await propertyCheck(count: 10_000, input: Self.pasted(Self.jsonPieces, count: 0...60)) { (input: [UInt8]) in
            guard let value = try? JSONParser.parse(input) else { return }
            // Whatever it accepts, it writes back to text that parses to the same value.
            let again = try? JSONParser.parse(JSONWriter.bytes(value))
            #expect(again == value)
        }
        await propertyCheck(count: 10_000, input: Self.bytes) { (input: [UInt8]) in
            _ = try? JSONParser.parseDocument(input)
        }
    }

    @Test func skimmingAcceptsAndFindsExactlyWhatParsingDoes() async {
        let names = ["model", "stream", "a"]
        let objects = Self.pasted(
            Self.jsonPieces + [Array("{\"a\":".utf8), Array("\"a\"".utf8), Array("{\"\\u0061\":".utf8)],
            count: 0...60
        )
        await propertyCheck(count: 10_000, input: objects) { (input: [UInt8]) in
            let parsed = try? JSONParser.parseDocument(input)
            let skimmed = Result { () throws(JSONParseError) in try JSONParser.skim(input, members: names) }
            guard let parsed else {
                #expect(throws: JSONParseError.self, "skim accepts what parse refuses: \(String(decoding: input, as: UTF8.self))") {
                    try skimmed.get()
                }
                return
            }
            guard case .success(let ranges) = skimmed else {
                Issue.record("skim refuses what parse accepts: \(String(decoding: input, as: UTF8.self))")
                return
            }
            #expect(ranges == (parsed.value.objectValue != nil ? names.map { parsed.memberRanges[$0] } : nil))
        }
    }

    @Test func skimmingFindsTheMembersOfAnEvent() throws {
        let event = Array(#"{"id":"c1","choices":[{"delta":{"content":"a\"b"}}],"usage":{"prompt_tokens":3},"error":null}"#.utf8)
        let ranges = try #require(try JSONParser.skim(event, members: ["usage", "error", "missing"]))
        #expect(ranges[0].map { String(decoding: event[$0], as: UTF8.self) } == #"{"prompt_tokens":3}"#)
        #expect(ranges[1].map { String(decoding: event[$0], as: UTF8.self) } == "null")
        #expect(ranges[2] == nil)
        #expect(try JSONParser.skim(Array("[1, 2]".utf8), members: ["usage"]) == nil)
        #expect(throws: JSONParseError.self) { try JSONParser.skim(Array(#"{"a":1e999}"#.utf8), members: []) }
    }

    @Test func deepNestingIsRefusedNotAStackOverflow() {
        let deep = Array(repeating: UInt8(ascii: "["), count: 100_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(deep) }
    }

    /// Streams of SSE lines with every kind of line end, comment, field and junk.
    static let ssePieces: [[UInt8]] =
        [
            "data: {\"a\":1}", "data:", "data", "event: message_start", "event:", ": keepalive", "id: 7", "retry: 10", "bogus: x",
            "\n", "\r", "\r\n", "\n\n", "data: [DONE]", "data: 😀", " ", "\u{0}",
        ].map { Array($0.utf8) } + [[0xFF, 0xFE]]
    @Test func theSSEParserGivesTheSameEventsHoweverTheBytesAreSplit() async {
        await propertyCheck(count: 10_000, input: Self.pasted(Self.ssePieces, count: 0...80)) { (stream: [UInt8]) in
            let chunk = stream.count % 17 + 1
            var whole = ServerSentEventParser(maximumEventSize: 1 << 16)
            var pieces = ServerSentEventParser(maximumEventSize: 1 << 16)
            let expected = try? whole.feed(stream)
            var got: [ServerSentEvent] = []
            var failed = false
            var start = 0
            while start < stream.count {
                let end = min(stream.count, start + chunk)
                do { got += try pieces.feed(stream[start..<end]) } catch { failed = true }
                start = end
            }
            #expect(failed ? expected == nil : got == expected)
        }
    }

    @Test func anEndlessEventIsRefusedAtTheLimit() {
        var parser = ServerSentEventParser(maximumEventSize: 1024)
        var refused = false
        for _ in 0..<1000 {
            do {
                _ = try parser.feed(Array("data: xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx".utf8))
            } catch {
                refused = true
                break
            }
        }
        #expect(refused)
    }
}
