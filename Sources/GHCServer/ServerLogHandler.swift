import GHCCore
import Logging
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How `serve` writes its log to standard error.
package enum LogFormat: String, Sendable, CaseIterable {
    /// `2026-12-02T18:31:57.123Z info POST /v1/messages claude-sonnet-4.5 → 200 12 ms [request_id=…]`
    case text
    /// One JSON object per line: `time`, `level`, `message`, and the line's metadata (`request_id`, `route`, `model`,
    /// `status`, `duration_ms` on a request's line).
    case json
}

/// The server's log handler: whole lines on standard error, each written with one `write` so lines from many
/// requests never interleave, in text or as JSON.
package struct ServerLogHandler: LogHandler {
    /// The metadata keys a request's text line already says in its message, so text leaves them out.
    static let spelledOutInText: Set<String> = ["route", "model", "status", "duration_ms", "method"]
    /// Serialises writes from many threads.
    private static let lock = Mutex(())

    /// The format written.
    let format: LogFormat
    /// Where lines go (standard error; tests pass a pipe).
    let descriptor: Int32
    /// The level below which nothing is written.
    package var logLevel: Logger.Level = .info
    /// Metadata on every line of this logger.
    package var metadata: Logger.Metadata = [:]

    /// A handler writing `format` to `descriptor`.
    package init(format: LogFormat, descriptor: Int32 = 2) {
        self.format = format
        self.descriptor = descriptor
    }

    /// One metadata value of this logger.
    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// Writes one line.
    package func log(event: LogEvent) {
        var merged = event.metadata ?? [:]
        if !metadata.isEmpty { merged = metadata.merging(merged) { _, new in new } }
        var bytes = format == .json ? Array(json(event, merged).utf8) : textLine(event, merged)
        bytes.append(UInt8(ascii: "\n"))
        Self.lock.withLock { _ in _ = Descriptor.writeAll(descriptor, bytes) }
    }

    /// The text line: time, level, message, then the metadata the message does not say (as bytes, written straight
    /// into one buffer: a line is written for every request).
    func textLine(_ event: LogEvent, _ metadata: Logger.Metadata) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(192)
        Self.appendTime(Date(), to: &line)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.level.rawValue.utf8)
        line.append(UInt8(ascii: " "))
        line.append(contentsOf: event.message.description.utf8)
        for key in metadata.keys.sorted() where !Self.spelledOutInText.contains(key) {
            line.append(UInt8(ascii: " "))
            line.append(contentsOf: key.utf8)
            line.append(UInt8(ascii: "="))
            switch metadata[key] {
            case .string(let text)?: line.append(contentsOf: text.utf8)
            case let value?: line.append(contentsOf: value.description.utf8)
            case nil: break
            }
        }
        return line
    }

    /// The JSON line: `time`, `level`, `message`, `label` and every metadata value (whole numbers as numbers).
    func json(_ event: LogEvent, _ metadata: Logger.Metadata) -> String {
        var object: [String: JSONValue] = [
            "time": .string(Self.time(Date())), "level": .string(event.level.rawValue), "message": .string("\(event.message)"),
        ]
        for (key, value) in metadata { object[key] = Self.json(value) }
        return JSONValue.object(object).jsonString()
    }

    /// A metadata value as JSON.
    static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let item):
            if let number = item as? Int {
                .int(number)
            } else if let number = item as? Double {
                .double(number)
            } else {
                .string("\(item)")
            }
        case .array(let items): .array(items.map(json))
        case .dictionary(let members): .object(members.mapValues(json))
        }
    }

    /// The last whole second formatted, `YYYY-MM-DDTHH:MM:SS`: lines come many to a second under load, and the
    /// calendar arithmetic for each was the largest part of writing one.
    private static let lastSecond = Mutex<(second: Double, text: Substring)>((-1, ""))

    /// `YYYY-MM-DDTHH:MM:SS.mmmZ`.
    static func time(_ date: Date) -> String {
        var bytes: [UInt8] = []
        appendTime(date, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` to `bytes`.
    static func appendTime(_ date: Date, to bytes: inout [UInt8]) {
        let seconds = date.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let prefix = lastSecond.withLock { last in
            if last.second != whole { last = (whole, Timestamp.iso8601(date).dropLast()) }
            return last.text
        }
        bytes.append(contentsOf: prefix.utf8)
        let milliseconds = min(999, max(0, Int((seconds - whole) * 1000)))
        bytes.append(UInt8(ascii: "."))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds / 100))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds / 10 % 10))
        bytes.append(UInt8(ascii: "0") + UInt8(milliseconds % 10))
        bytes.append(UInt8(ascii: "Z"))
    }
}
