/// Cuts a byte stream into newline-ended lines, with a bound on a line's length.
///
/// A line longer than the bound is dropped whole (its bytes up to the next newline are skipped), and
/// reported, so one giant line cannot exhaust memory or desynchronise the stream.
package struct LineFramer: Sendable {
    /// What one chunk of input produced.
    package enum Piece: Sendable, Equatable {
        /// A complete line, without its newline (and without a `\r` before it).
        case line([UInt8])
        /// A line that exceeded the bound; `length` bytes were dropped (so far, when it has not ended yet).
        case overlong(length: Int)
    }

    /// The longest line kept, in bytes.
    package let limit: Int
    private var pending: [UInt8] = []
    private var skipping = 0

    /// A framer keeping lines of up to `limit` bytes.
    package init(limit: Int) {
        self.limit = limit
    }

    /// Feeds bytes; returns the lines they completed.
    package mutating func feed(_ bytes: some Collection<UInt8>) -> [Piece] {
        var pieces: [Piece] = []
        var start = bytes.startIndex
        while let newline = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) {
            let part = bytes[start..<newline]
            if skipping > 0 {
                pieces.append(.overlong(length: skipping + part.count))
                skipping = 0
            } else if pending.count + part.count > limit {
                pieces.append(.overlong(length: pending.count + part.count))
                pending.removeAll()
            } else {
                pending.append(contentsOf: part)
                if pending.last == UInt8(ascii: "\r") { pending.removeLast() }
                pieces.append(.line(pending))
                pending.removeAll(keepingCapacity: pending.capacity <= 1 << 16)
            }
            start = bytes.index(after: newline)
        }
        let rest = bytes[start...]
        if skipping > 0 {
            skipping += rest.count
        } else if pending.count + rest.count > limit {
            skipping = pending.count + rest.count
            pending = []
        } else {
            pending.append(contentsOf: rest)
        }
        return pieces
    }

    /// The unfinished last line at end of input, if any.
    package mutating func finish() -> [Piece] {
        defer {
            pending = []
            skipping = 0
        }
        if skipping > 0 { return [.overlong(length: skipping)] }
        return pending.isEmpty ? [] : [.line(pending)]
    }
}
