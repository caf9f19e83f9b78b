import GHCAgent
import GHCCore
import Testing

/// Framing, messages, permissions and command lines: the pieces under the session.
@Suite struct WireTests {
    @Test func linesAreCutAtNewlinesAcrossChunks() {
        var framer = LineFramer(limit: 100)
        #expect(framer.feed(Array("{\"a\":1}\n{\"b\"".utf8)) == [.line(Array("{\"a\":1}".utf8))])
        #expect(framer.feed(Array(":2}\r\n".utf8)) == [.line(Array("{\"b\":2}".utf8))])
        #expect(framer.feed(Array("tail".utf8)) == [])
        #expect(framer.finish() == [.line(Array("tail".utf8))])
    }

    @Test func anOverlongLineIsDroppedWholeEvenAcrossChunks() {
        var framer = LineFramer(limit: 8)
        #expect(framer.feed(Array("0123456789".utf8)) == [])
        #expect(framer.feed(Array("abc\nok\n".utf8)) == [.overlong(length: 13), .line(Array("ok".utf8))])
    }

    @Test func messagesParseByShape() throws {
        #expect(
            try RPCMessage.parse(Array(#"{"jsonrpc":"2.0","id":3,"method":"fs/read_text_file","params":{"path":"/a"}}"#.utf8)).get()
                == .request(id: 3, method: "fs/read_text_file", params: ["path": "/a"])
        )
        #expect(
            try RPCMessage.parse(Array(#"{"jsonrpc":"2.0","method":"session/update","params":{}}"#.utf8)).get()
                == .notification(method: "session/update", params: [:])
        )
        #expect(
            try RPCMessage.parse(Array(#"{"jsonrpc":"2.0","id":1,"error":{"code":-32000,"message":"Authentication required"}}"#.utf8)).get()
                == .response(id: 1, result: .failure(RPCError(code: -32000, message: "Authentication required")))
        )
        guard case .failure(let failure) = RPCMessage.parse(Array("not json".utf8)) else {
            Issue.record("a non-JSON line must fail")
            return
        }
        #expect(failure.error.code == -32700)
        let line = RPCMessage.response(id: "x", result: .success(["outcome": PermissionOutcome.cancelled.json])).line
        #expect(line.last == UInt8(ascii: "\n"))
        #expect(!line.dropLast().contains(UInt8(ascii: "\n")))
    }

    @Test func permissionsAreChosenByKindNeverByPosition() {
        let options = [
            PermissionOption(id: "nope", name: "Reject", kind: "reject_once"),
            PermissionOption(id: "always", name: "Always", kind: "allow_always"),
            PermissionOption(id: "once", name: "Allow", kind: "allow_once"),
        ]
        #expect(PermissionPolicy.allow.decide(options) == .selected("once"))
        #expect(PermissionPolicy.deny.decide(options) == .selected("nope"))
        #expect(PermissionPolicy.allow.decide(Array(options.prefix(2))) == .selected("always"))
        #expect(PermissionPolicy.deny.decide(Array(options.suffix(2))) == .cancelled)
        #expect(PermissionPolicy.ask.decide(options) == nil)
        #expect(PermissionOutcome.selected("once").json == ["outcome": "selected", "optionId": "once"])
        #expect(PermissionOutcome.cancelled.json == ["outcome": "cancelled"])
    }

    @Test func stopReasonsMapToExitStatuses() {
        #expect(StopReason(wire: "end_turn").exitStatus == 0)
        #expect(StopReason(wire: "endTurn") == .endTurn)
        #expect(StopReason(wire: "refusal").exitStatus == 2)
        #expect(StopReason(wire: "max_tokens").exitStatus == 3)
        #expect(StopReason(wire: "max_turn_requests").exitStatus == 3)
        #expect(StopReason(wire: "cancelled").exitStatus == 130)
    }

    @Test func configuredCommandLinesSplitLikeAShellWithoutOne() {
        #expect(CommandLineWords.split("npx -y 'my agent' \"a b\" c\\ d") == ["npx", "-y", "my agent", "a b", "c d"])
        #expect(CommandLineWords.split("agent $HOME; rm") == ["agent", "$HOME;", "rm"])
        #expect(CommandLineWords.split("open 'quote") == nil)
    }
}
