/// One server-sent event as it crossed the wire.
package struct ServerSentEvent: Sendable, Equatable {
    /// The `event:` field, if any.
    package var event: String?
    /// The `data:` lines joined with newlines.
    package var data: String
    /// Whether the block held at least one `data:` line.
    package var hasData: Bool
    /// The exact bytes of the block, blank line included, for byte-identical relaying.
    package var raw: [UInt8]

    /// Creates an event.
    package init(event: String? = nil, data: String, hasData: Bool = true, raw: [UInt8] = []) {
        self.event = event
        self.data = data
        self.hasData = hasData
        self.raw = raw
    }

    /// Whether the block held only comments (such as `: keepalive`).
    package var isComment: Bool { !hasData && event == nil }

    /// The wire form of an event with a `data:` payload (one line per payload line).
    package static func format(event: String? = nil, data: String) -> [UInt8] {
        var text = event.map { "event: \($0)\n" } ?? ""
        for line in data.split(separator: "\n", omittingEmptySubsequences: false) { text += "data: \(line)\n" }
        return Array((text + "\n").utf8)
    }
}

/// Splits a byte stream into server-sent events, however the bytes are chunked: `\n`, `\r\n` and `\r`
/// line ends, comments, multi-line data. An event larger than the limit is an error, so a broken upstream
/// cannot make the proxy buffer without bound.
package struct ServerSentEventParser: Sendable {
    /// The most bytes one event may take.
    package let maximumEventSize: Int
    private var block: [UInt8] = []
    private var line: [UInt8] = []
    private var event: String?
    private var data: [String] = []
    private var sawData = false
    private var sawField = false
    private var lastWasCR = false

    /// Creates a parser.
    package init(maximumEventSize: Int = 16 << 20) {
        self.maximumEventSize = maximumEventSize
    }

    /// Feeds bytes and returns the events they complete.
    package mutating func feed(_ bytes: some Sequence<UInt8>) throws(SSEParseError) -> [ServerSentEvent] {
        if let result = bytes.withContiguousStorageIfAvailable({ feed(contiguous: $0) }) { return try result.get() }
        return try Array(bytes).withUnsafeBufferPointer { feed(contiguous: $0) }.get()
    }

    /// Feeds contiguous bytes: the runs between line ends are copied whole. Called byte by byte through the generic
    /// `Sequence` (unspecialised across modules), the parser made about a hundred allocations per event.
    private mutating func feed(contiguous bytes: UnsafeBufferPointer<UInt8>) -> Result<[ServerSentEvent], SSEParseError> {
        var events: [ServerSentEvent] = []
        var index = 0
        while index < bytes.count {
            if lastWasCR {
                lastWasCR = false
                if bytes[index] == 0x0A {
                    block.append(0x0A)
                    index += 1
                    continue
                }
            }
            var end = index
            while end < bytes.count, bytes[end] != 0x0A, bytes[end] != 0x0D { end += 1 }
            if end > index {
                let run = UnsafeBufferPointer(rebasing: bytes[index..<end])
                block.append(contentsOf: run)
                line.append(contentsOf: run)
                if block.count > maximumEventSize { return .failure(SSEParseError(limit: maximumEventSize)) }
            }
            guard end < bytes.count else { break }
            block.append(bytes[end])
            lastWasCR = bytes[end] == 0x0D
            if let completed = endLine() { events.append(completed) }
            index = end + 1
        }
        return .success(events)
    }

    /// Whether bytes of an unfinished event are waiting.
    package var hasPartialEvent: Bool { block.contains { $0 != 0x0A && $0 != 0x0D } }

    private mutating func endLine() -> ServerSentEvent? {
        defer { line.removeAll(keepingCapacity: true) }
        if line.isEmpty {
            guard sawField || !block.allSatisfy({ $0 == 0x0A || $0 == 0x0D }) else {
                block.removeAll(keepingCapacity: true)
                return nil
            }
            let completed = ServerSentEvent(event: event, data: data.joined(separator: "\n"), hasData: sawData, raw: block)
            block.removeAll(keepingCapacity: true)
            event = nil
            data.removeAll()
            sawData = false
            sawField = false
            return completed
        }
        if line.first == UInt8(ascii: ":") { return nil }
        let colon = line.firstIndex(of: UInt8(ascii: ":")) ?? line.count
        let name = String(decoding: line[..<colon], as: UTF8.self)
        var valueStart = colon < line.count ? colon + 1 : colon
        if valueStart < line.count, line[valueStart] == UInt8(ascii: " ") { valueStart += 1 }
        let value = String(decoding: line[valueStart...], as: UTF8.self)
        switch name {
        case "data":
            data.append(value)
            sawData = true
            sawField = true
        case "event":
            event = value
            sawField = true
        default:
            sawField = true
        }
        return nil
    }
}

/// An event grew past the parser's limit.
package struct SSEParseError: Error, Equatable, CustomStringConvertible {
    /// The limit in bytes.
    package let limit: Int

    /// One line for the user.
    package var description: String { "a server-sent event exceeded \(limit) bytes" }
}
