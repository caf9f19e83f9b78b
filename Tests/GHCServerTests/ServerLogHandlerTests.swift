import GHCCore
import GHCProxy
import Logging
import Testing

@testable import GHCServer

#if canImport(Glibc)
import Glibc
#endif

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite("Server log handler")
struct ServerLogHandlerTests {
    /// The lines `body` logs through a handler of `format`.
    private func lines(_ format: LogFormat, _ body: (Logger) -> Void) throws -> [String] {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]) }
        let logger = Logger(label: "test") { _ in ServerLogHandler(format: format, descriptor: ends[1]) }
        body(logger)
        close(ends[1])
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let count = read(ends[0], &buffer, buffer.count), count > 0 { bytes += buffer[0..<count] }
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test("a JSON line is one object with time, level, message and the metadata, numbers as numbers")
    func jsonLines() throws {
        let output = try lines(.json) { logger in
            var logger = logger
            logger[metadataKey: "request_id"] = "abc"
            logger.info("POST /v1/messages → 200", metadata: ["status": .stringConvertible(200), "route": "/v1/messages"])
            logger.warning("a \"quoted\"\nmessage")
        }
        #expect(output.count == 2)
        let first = try JSONValue.parse(Array(output[0].utf8))
        #expect(first["level"] == "info" && first["request_id"] == "abc" && first["status"] == .int(200))
        #expect(first["route"] == "/v1/messages" && first["message"] == "POST /v1/messages → 200")
        #expect(first["time"]?.stringValue?.count == 24)
        #expect(try JSONValue.parse(Array(output[1].utf8))["message"] == "a \"quoted\"\nmessage")
    }

    @Test("a text line leaves out what its message says and keeps the request id")
    func textLines() throws {
        let output = try lines(.text) { logger in
            logger.info(
                "POST /v1/messages m → 200 3 ms",
                metadata: ["status": "200", "route": "/v1/messages", "request_id": "r-1", "attempt": .stringConvertible(2)]
            )
        }
        #expect(output.count == 1 && output[0].hasSuffix(" info POST /v1/messages m → 200 3 ms attempt=2 request_id=r-1"))
        // The line starts with its time, to the millisecond: `2026-12-03T08:00:00.062Z info …`.
        let time = String(output.first?.prefix(24) ?? "")
        #expect(time.count == 24 && time.hasSuffix("Z") && time.dropFirst(10).hasPrefix("T") && time.dropFirst(19).hasPrefix("."))
    }

    @Test("a caller's x-request-id is kept when it is printable ASCII up to 128 bytes, else replaced")
    func requestIdentity() {
        #expect(RequestIdentity.of(header: "trace-1") == RequestIdentity(value: "trace-1", isGenerated: false))
        for bad in [nil, "", "has space", String(repeating: "x", count: 129), "nul\u{0}"] {
            let identity = RequestIdentity.of(header: bad)
            #expect(identity.isGenerated && identity.value.count == 36)
        }
    }

    @Test("a line's time is UTC to the millisecond, right when lines of one second follow lines of another")
    func times() {
        // Fractions a Double holds exactly, so the milliseconds do not depend on rounding.
        let second = 1_796_284_800.0
        #expect(ServerLogHandler.time(Date(timeIntervalSince1970: second + 0.0625)) == "2026-12-03T08:00:00.062Z")
        #expect(ServerLogHandler.time(Date(timeIntervalSince1970: second + 0.5)) == "2026-12-03T08:00:00.500Z")
        #expect(ServerLogHandler.time(Date(timeIntervalSince1970: second + 1.125)) == "2026-12-03T08:00:01.125Z")
        #expect(ServerLogHandler.time(Date(timeIntervalSince1970: second + 0.75)) == "2026-12-03T08:00:00.750Z")
    }
}
