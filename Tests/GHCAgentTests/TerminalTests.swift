import GHCAgent
import GHCCore
import GHCTestSupport
import Testing

/// `terminal/*` runs real processes.
@Suite struct TerminalTests {
    @Test func runsACommandAndReportsItsOutputAndExit() async throws {
        let root = try TemporaryDirectory()
        let terminals = TerminalRegistry(directory: root.path)
        let created = try await terminals.handle("terminal/create", ["command": "sh", "args": ["-c", "echo out; echo err >&2; exit 3"]])
            .get()
        let id = try #require(created["terminalId"]?.stringValue)
        let exit = try await terminals.handle("terminal/wait_for_exit", ["terminalId": .string(id)]).get()
        #expect(exit == ["exitCode": 3, "signal": .null])
        let output = try await terminals.handle("terminal/output", ["terminalId": .string(id)]).get()
        #expect(output["output"] == "out\nerr\n")
        #expect(output["truncated"] == false)
        #expect(output["exitStatus"] == ["exitCode": 3, "signal": .null])
        _ = try await terminals.handle("terminal/release", ["terminalId": .string(id)]).get()
        guard case .failure(let released) = await terminals.handle("terminal/output", ["terminalId": .string(id)]) else {
            Issue.record("a released terminal must be gone")
            return
        }
        #expect(released.code == -32002)
    }

    @Test func outputBeyondTheLimitKeepsTheEndAndSaysSo() async throws {
        let root = try TemporaryDirectory()
        let terminals = TerminalRegistry(directory: root.path)
        let created = try await terminals.handle("terminal/create", ["command": "seq", "args": ["1", "1000"], "outputByteLimit": 10]).get()
        let id = try #require(created["terminalId"]?.stringValue)
        _ = try await terminals.handle("terminal/wait_for_exit", ["terminalId": .string(id)]).get()
        let output = try await terminals.handle("terminal/output", ["terminalId": .string(id)]).get()
        #expect(output["truncated"] == true)
        #expect(output["output"]?.stringValue?.hasSuffix("999\n1000\n") == true)
        #expect((output["output"]?.stringValue?.utf8.count ?? 99) <= 10)
    }

    @Test func killEndsTheCommandWithASignalAndTheTerminalStaysReadable() async throws {
        let root = try TemporaryDirectory()
        let terminals = TerminalRegistry(directory: root.path)
        let created = try await terminals.handle("terminal/create", ["command": "sh", "args": ["-c", "echo started; sleep 60"]]).get()
        let id = try #require(created["terminalId"]?.stringValue)
        _ = try await terminals.handle("terminal/kill", ["terminalId": .string(id)]).get()
        let exit = try await terminals.handle("terminal/wait_for_exit", ["terminalId": .string(id)]).get()
        #expect(exit["signal"] == "SIGKILL")
        let output = try await terminals.handle("terminal/output", ["terminalId": .string(id)]).get()
        #expect(output["exitStatus"]?["signal"] == "SIGKILL")
    }
}
