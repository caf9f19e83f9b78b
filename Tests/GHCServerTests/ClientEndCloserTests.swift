import GHCProxy
import NIOCore
import NIOEmbedded
import Testing

/// A client that stops reading its answer is let go after the unread limit; one that reads again is not.
@Suite struct ClientEndCloserTests {
    /// A connected channel with the closer, whose limit is a minute.
    private func channel() throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ClientEndCloser(unreadLimit: .seconds(60)))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        return channel
    }

    /// The socket's buffers fill (`false`) or drain (`true`).
    private func setWritable(_ writable: Bool, _ channel: EmbeddedChannel) {
        channel.isWritable = writable
        channel.pipeline.fireChannelWritabilityChanged()
    }

    @Test func aClientThatLeavesItsAnswerUnreadIsClosedAfterTheLimit() throws {
        let channel = try channel()
        setWritable(false, channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        #expect(channel.isActive, "not before the limit")
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(!channel.isActive)
    }

    @Test func aClientThatReadsAgainStartsTheCountAgain() throws {
        let channel = try channel()
        setWritable(false, channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(50))
        setWritable(true, channel)
        setWritable(false, channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(50))
        #expect(channel.isActive, "each stall is counted from its own start")
        setWritable(true, channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(120))
        #expect(channel.isActive, "a client that reads is never closed")
        _ = try channel.finish()
    }

    @Test func aClientReadingSlowlyIsNotClosed() throws {
        let channel = try channel()
        channel.write(ByteBuffer(string: String(repeating: "x", count: 100)), promise: nil)
        setWritable(false, channel)
        channel.embeddedEventLoop.advanceTime(by: .seconds(59))
        channel.flush()  // the client took what waited, though the buffers stay full
        channel.embeddedEventLoop.advanceTime(by: .seconds(2))
        #expect(channel.isActive, "it read within the limit")
        channel.embeddedEventLoop.advanceTime(by: .seconds(60))
        #expect(!channel.isActive, "then nothing for a whole limit")
    }
}
