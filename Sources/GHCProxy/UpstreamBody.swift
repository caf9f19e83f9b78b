import GHCCore
import GHCTranslation
import GHCUpstream
import NIOCore
import NIOHTTP1

/// The body of an upstream answer as the relays read it: the answer's bytes as they arrive, or, for Responses
/// streams, the same bytes with Copilot's early failures replayed away (facts-upstream §10.2):
/// while the stream has shown only `response.created`/`in_progress`/`queued`, its events are held back (up to
/// 256 KiB); a `response.failed` before any output with nothing that explains it makes the call be sent again
/// (fresh headers, up to `attempts` times) and the held events dropped. Once any output passes, nothing is replayed,
/// so no output is ever duplicated.
struct UpstreamBody: AsyncSequence, Sendable {
    /// How to call again.
    struct Replay: Sendable {
        /// Opens the same call again.
        let reopen: @Sendable () async throws -> PooledHTTPAnswer
        /// Most replays.
        let attempts: Int
        /// Told of each replay, for the log.
        let onReplay: @Sendable (Int) -> Void
    }

    /// Most bytes held back while the stream shows no output.
    static let holdLimit = 256 << 10

    /// The first answer.
    let first: PooledHTTPAnswer
    /// How to replay an early failure; `nil` to relay as it comes.
    let replay: Replay?

    /// The body of `response` as it comes.
    init(_ response: PooledHTTPAnswer, replay: Replay? = nil) {
        first = response
        self.replay = replay.flatMap { $0.attempts > 0 ? $0 : nil }
    }

    /// An iterator that holds back, replays, then passes bytes on.
    func makeAsyncIterator() -> Iterator {
        Iterator(current: first.body.makeAsyncIterator(), replay: replay)
    }

    /// Reads the current answer; see `UpstreamBody`.
    struct Iterator: AsyncIteratorProtocol {
        var current: PooledHTTPAnswer.Body.Iterator
        /// Set while the stream's prelude is held back.
        var replay: Replay?
        var released: [ByteBuffer] = []
        var replays = 0
        /// What the prelude holds so far, and what was seen in it.
        private var held: [ByteBuffer] = []
        private var heldBytes = 0
        private var parser = ServerSentEventParser()
        private var failedEarly = false
        private var diagnosed = false

        /// Reads `current`, replaying as `replay` says.
        init(current: PooledHTTPAnswer.Body.Iterator, replay: Replay?) {
            self.current = current
            self.replay = replay
        }

        /// The next bytes for the client.
        mutating func next() async throws -> ByteBuffer? {
            if !released.isEmpty { return released.removeFirst() }
            guard let replay else { return try await current.next() }
            return try await holdPrelude(replay)
        }

        private mutating func holdPrelude(_ replay: Replay) async throws -> ByteBuffer? {
            while true {
                guard let chunk = try await current.next() else {
                    if failedEarly, !diagnosed, replays < replay.attempts, let fresh = try? await replay.reopen(),
                        (200..<300).contains(Int(fresh.status.code))
                    {
                        replays += 1
                        replay.onReplay(replays)
                        current = fresh.body.makeAsyncIterator()
                        (held, heldBytes, parser, failedEarly, diagnosed) = ([], 0, ServerSentEventParser(), false, false)
                        continue
                    }
                    return release()
                }
                // An idle tick goes to the client (a keepalive) while the prelude stays held.
                guard chunk.readableBytes > 0 else { return chunk }
                held.append(chunk)
                heldBytes += chunk.readableBytes
                var passOn = heldBytes > UpstreamBody.holdLimit
                for event in (try? parser.feed(chunk.readableBytesView)) ?? [] {
                    switch ResponsesRecovery.judge(event) {
                    case .prelude: break
                    case .failedEarly: failedEarly = true
                    case .diagnosed: diagnosed = true
                    case .output: passOn = true
                    }
                }
                if passOn { return release() }
            }
        }

        /// Stops holding back: what was held goes to the client, then the rest as it comes.
        private mutating func release() -> ByteBuffer? {
            replay = nil
            released = held
            held = []
            return released.isEmpty ? nil : released.removeFirst()
        }
    }
}
