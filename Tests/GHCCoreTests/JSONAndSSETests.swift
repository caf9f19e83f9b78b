import GHCCore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesEveryKindAndKeepsIntegersExact() throws {
        let text = #"{"a":[1,-2.5e3,true,false,null],"b":"x\"y\u00e9\ud83d\ude00\n","big":9007199254740993,"n":{}}"#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value["a"] == [1, -2500.0, true, false, nil])
        #expect(value["b"] == "x\"yé😀\n")
        #expect(value["big"] == .int(9_007_199_254_740_993))
        #expect(value["n"] == .object([:]))
        #expect(try JSONValue.parse(JSONWriter.bytes(value)) == value)
    }

    @Test(arguments: ["", "{", "{\"a\" 1}", "[1,]", "tru", "\"\u{01}\"", "01", "1 2", "{\"a\":1,}", "\"abc"])
    func rejectsInvalidDocuments(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func refusesDeepNesting() {
        let deep = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(deep.utf8)) }
    }

    @Test func reportsWhereTopLevelValuesLie() throws {
        let text = #"{ "model" : "sonnet", "messages": [{"role":"user"}] }"#
        let bytes = Array(text.utf8)
        let (_, ranges) = try JSONParser.parseDocument(bytes)
        let model = try #require(ranges["model"])
        #expect(String(decoding: bytes[model], as: UTF8.self) == "\"sonnet\"")
        #expect(String(decoding: bytes[try #require(ranges["messages"])], as: UTF8.self) == #"[{"role":"user"}]"#)
    }

    @Test func writerEscapesControlCharacters() {
        #expect(String(decoding: JSONWriter.bytes(["k": "a\u{01}\t\"\\"]), as: UTF8.self) == #"{"k":"a\u0001\t\"\\"}"#)
    }

    /// Strings are scanned eight bytes at a time: a character that needs an escape is found at every offset of a
    /// word, next to multi-byte UTF-8, and in the tail shorter than a word, both when writing and when reading back.
    @Test(arguments: ["\"", "\\", "\n", "\u{01}", "\u{1F}", "é", "😀"])
    func specialCharactersAreFoundAtEveryOffset(special: String) throws {
        for length in 0..<24 {
            for offset in 0...length {
                let plain = String(repeating: "x", count: length)
                let text = String(plain.prefix(offset)) + special + "é" + String(plain.dropFirst(offset))
                let written = JSONWriter.bytes(.string(text))
                #expect(try JSONValue.parse(written) == .string(text), "length \(length), offset \(offset)")
                #expect(written.filter { $0 < 0x20 }.isEmpty)
            }
        }
    }

    @Test func aStringWithoutItsClosingQuoteIsRefusedAfterAnyRun() {
        for length in 0..<20 {
            let text = "\"" + String(repeating: "a", count: length) + "\\n" + String(repeating: "b", count: length)
            #expect(throws: JSONParseError.self) { try JSONValue.parse(Array(text.utf8)) }
        }
    }
}

@Suite struct ServerSentEventParserTests {
    static let stream = "event: a\r\ndata: {\"x\":1}\r\n\r\n: keepalive\n\ndata: line1\ndata: line2\n\nid: 7\ndata: [DONE]\n\n"

    @Test(arguments: [1, 2, 3, 7, 1000])
    func sameEventsWhateverTheChunking(chunkSize: Int) throws {
        var parser = ServerSentEventParser()
        var events: [ServerSentEvent] = []
        let bytes = Array(Self.stream.utf8)
        var offset = 0
        while offset < bytes.count {
            events += try parser.feed(bytes[offset..<min(offset + chunkSize, bytes.count)])
            offset += chunkSize
        }
        #expect(events.map(\.data) == ["{\"x\":1}", "", "line1\nline2", "[DONE]"])
        #expect(events[0].event == "a")
        #expect(events[1].isComment)
        #expect(events.flatMap(\.raw) == bytes)
        #expect(!parser.hasPartialEvent)
    }

    @Test func bytesThatAreNotContiguousGiveTheSameEvents() throws {
        var contiguous = ServerSentEventParser()
        var lazy = ServerSentEventParser()
        let bytes = Array(Self.stream.utf8)
        #expect(try lazy.feed(bytes.lazy.map { $0 }) == contiguous.feed(bytes))
    }

    @Test func anOversizedEventIsAnError() {
        var parser = ServerSentEventParser(maximumEventSize: 10)
        #expect(throws: SSEParseError.self) { try parser.feed(Array("data: 0123456789abc".utf8)) }
    }

    @Test func formatsMultiLineData() {
        #expect(
            String(decoding: ServerSentEvent.format(event: "error", data: "a\nb"), as: UTF8.self) == "event: error\ndata: a\ndata: b\n\n"
        )
    }
}
