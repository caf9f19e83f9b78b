import HTTPTypes
import NIOCore
import NIOEmbedded
import NIOHTTPTypes
import Testing

@testable import GHCServer

@Suite("Response head coalescer")
struct ResponseHeadCoalescerTests {
    /// A channel with only the coalescer, as Hummingbird's writes reach it.
    private func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ResponseHeadCoalescer())
        return channel
    }

    /// Writes `part` and flushes, as Hummingbird does for every part (without waiting for the write).
    private func send(_ part: HTTPResponsePart, on channel: EmbeddedChannel) {
        channel.write(part, promise: nil)
        channel.flush()
    }

    /// The parts that reached the socket so far.
    private func sent(on channel: EmbeddedChannel) throws -> [HTTPResponsePart] {
        var parts: [HTTPResponsePart] = []
        while let part = try channel.readOutbound(as: HTTPResponsePart.self) { parts.append(part) }
        return parts
    }

    @Test("a JSON answer's head leaves with its body, in one flush")
    func sizedHeadWaitsForBody() throws {
        let channel = try channel()
        let head = HTTPResponse(status: .ok, headerFields: [.contentType: "application/json", .contentLength: "2"])
        send(.head(head), on: channel)
        #expect(try sent(on: channel).isEmpty)
        send(.body(ByteBuffer(string: "{}")), on: channel)
        #expect(try sent(on: channel) == [.head(head), .body(ByteBuffer(string: "{}"))])
        send(.end(nil), on: channel)
        #expect(try sent(on: channel) == [.end(nil)])
    }

    @Test(
        "an event stream's head (the client sees its headers before the first event) and an informational head leave at once",
        arguments: [
            HTTPResponse(status: .ok, headerFields: [.contentType: "text/event-stream"]),
            HTTPResponse(status: .continue, headerFields: [.contentLength: "0"]),
        ]
    )
    func headIsSentAtOnce(head: HTTPResponse) throws {
        let channel = try channel()
        send(.head(head), on: channel)
        #expect(try sent(on: channel) == [.head(head)])
    }

    @Test("a held head is sent when the handler leaves the pipeline")
    func heldHeadIsSentOnRemoval() throws {
        let channel = try channel()
        let head = HTTPResponse(status: .ok, headerFields: [.contentLength: "2"])
        send(.head(head), on: channel)
        let coalescer = try channel.pipeline.syncOperations.handler(type: ResponseHeadCoalescer.self)
        try channel.pipeline.syncOperations.removeHandler(coalescer).wait()
        #expect(try sent(on: channel) == [.head(head)])
    }
}
