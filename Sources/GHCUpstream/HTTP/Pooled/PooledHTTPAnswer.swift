import NIOCore
import NIOHTTP1

/// An upstream answer whose head has arrived; its body streams from `body`.
package struct PooledHTTPAnswer: Sendable {
    /// The status.
    package let status: HTTPResponseStatus
    /// The headers.
    package let headers: HTTPHeaders
    /// The body, read as it arrives; reading it to the end gives the connection back to the pool.
    package let body: Body

    /// The body of an answer: its bytes as the connection reads them, with back-pressure (the connection stops
    /// reading while the reader is behind). A silent upstream ends it with `UpstreamError.timeout`; a broken one with
    /// `UpstreamError.network`. A reader that stops before the end closes the connection.
    package struct Body: AsyncSequence, Sendable {
        /// The sequence the connection feeds.
        typealias Producer = NIOThrowingAsyncSequenceProducer<
            ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, BodyDemand
        >

        private let producer: Producer

        /// A body read from `producer`.
        init(_ producer: Producer) {
            self.producer = producer
        }

        /// An iterator over the body's buffers.
        package func makeAsyncIterator() -> Iterator {
            Iterator(base: producer.makeAsyncIterator())
        }

        /// Reads the body's buffers.
        package struct Iterator: AsyncIteratorProtocol {
            fileprivate var base: Producer.AsyncIterator

            /// The next buffer, or `nil` at the end.
            package mutating func next() async throws -> ByteBuffer? {
                try await base.next()
            }
        }

        /// The whole body, when it has at most `maxBytes` (else `UpstreamError.invalidResponse`).
        package func collect(upTo maxBytes: Int) async throws -> ByteBuffer {
            var whole = ByteBuffer()
            for try await part in self {
                guard whole.readableBytes + part.readableBytes <= maxBytes else {
                    throw UpstreamError.invalidResponse(url: "", reason: "the answer is larger than \(maxBytes) bytes")
                }
                var part = part
                whole.writeBuffer(&part)
            }
            return whole
        }
    }
}

/// Tells a connection that the reader of its body wants more (reading resumes) or has stopped (the connection closes
/// unless the body had ended).
struct BodyDemand: NIOAsyncSequenceProducerDelegate {
    /// The connection, touched only on its event loop.
    let connection: NIOLoopBound<UpstreamConnectionHandler>
    /// The exchange whose body this is; a later exchange on the same connection ignores it.
    let exchange: UInt64

    /// Resumes reading.
    func produceMore() {
        onLoop { $0.resumeReading(exchange: exchange) }
    }

    /// The reader is done.
    func didTerminate() {
        let connection = connection
        let exchange = exchange
        connection.eventLoop.execute { connection.value.bodyAbandoned(exchange: exchange) }
    }

    private func onLoop(_ body: @escaping @Sendable (UpstreamConnectionHandler) -> Void) {
        if connection.eventLoop.inEventLoop {
            body(connection.value)
        } else {
            let connection = connection
            connection.eventLoop.execute { body(connection.value) }
        }
    }
}
