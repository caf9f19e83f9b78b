import Synchronization

/// The last bytes a process wrote to a stream, kept within a bound (an agent's stderr, a terminal's output).
package final class OutputTail: Sendable {
    private struct State {
        var bytes: [UInt8] = []
        var dropped = 0
    }

    /// The most bytes kept.
    package let limit: Int
    private let state = Mutex(State())

    /// A tail keeping the last `limit` bytes.
    package init(limit: Int) {
        self.limit = limit
    }

    /// Appends bytes, dropping the oldest beyond the limit.
    package func append(_ bytes: some Collection<UInt8>) {
        state.withLock { state in
            state.bytes.append(contentsOf: bytes)
            let excess = state.bytes.count - limit
            if excess > 0 {
                state.bytes.removeFirst(excess)
                state.dropped += excess
            }
        }
    }

    /// Whether older bytes were dropped.
    package var truncated: Bool { state.withLock { $0.dropped > 0 } }

    /// The kept bytes as text, starting at a character boundary (invalid UTF-8 is replaced).
    package var text: String {
        state.withLock { state in
            var start = state.bytes.startIndex
            // Skip UTF-8 continuation bytes left by cutting a character in two.
            while state.dropped > 0, start < state.bytes.endIndex, state.bytes[start] & 0xC0 == 0x80 { start += 1 }
            return String(decoding: state.bytes[start...], as: UTF8.self)
        }
    }

    /// The last `count` characters of the kept text.
    package func lastCharacters(_ count: Int) -> String { String(text.suffix(count)) }
}
