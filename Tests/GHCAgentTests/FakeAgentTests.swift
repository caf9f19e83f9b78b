import Foundation
import GHCAgent
import GHCCore
import GHCTestSupport
import Synchronization
import Testing

/// The client against a misbehaving agent (`ghc-fake-agent`, built beside the tests).
@Suite struct FakeAgentTests {
    private static let fakeAgent = URL(fileURLWithPath: BuiltBinary().path).deletingLastPathComponent().appendingPathComponent(
        "ghc-fake-agent"
    ).path

    private func options(_ mode: String, _ directory: String, lineLimit: Int = 100 << 20) -> SessionOptions {
        var options = SessionOptions(
            agent: ResolvedAgent(kind: "fake", title: "Fake", command: [Self.fakeAgent, mode], environment: [:], bypassMode: nil),
            directory: directory,
            machine: "test",
            owner: "test",
            setupTimeout: .seconds(20)
        )
        options.lineLimit = lineLimit
        return options
    }

    private func texts(_ events: [AgentEvent]) -> [String] {
        events.compactMap { event in
            guard case .update(let update) = event else { return nil }
            return update["content"]?["text"]?.stringValue
        }
    }

    @Test func malformedLinesAreSkippedAndTheSessionGoesOn() async throws {
        let directory = try TemporaryDirectory()
        let session = try await AgentSession.start(options("malformed", directory.path), folder: nil)
        let events = EventLog()
        let result = try await session.prompt("hello") { events.append($0) }
        #expect(result.stopReason == .endTurn)
        #expect(texts(events.all) == ["echo: hello"])
        #expect(await session.stderrTail.contains("skipped a line from the agent"))
        await session.close()
    }

    @Test func aLineOverTheLimitIsDroppedWholeAndLaterLinesStillArrive() async throws {
        let directory = try TemporaryDirectory()
        let session = try await AgentSession.start(options("giant", directory.path, lineLimit: 1 << 20), folder: nil)
        let events = EventLog()
        let result = try await session.prompt("hello") { events.append($0) }
        #expect(result.stopReason == .endTurn)
        #expect(texts(events.all) == ["after the giant line"])
        #expect(await session.stderrTail.contains("exceeded the limit"))
        await session.close()
    }

    @Test func aCrashMidTurnFailsThePromptWithTheExitCodeAndStderr() async throws {
        let directory = try TemporaryDirectory()
        let folder = SessionFolder(path: directory.path + "/sessions")
        let session = try await AgentSession.start(options("crash", directory.path), folder: folder)
        let events = EventLog()
        let result = try await session.prompt("hello") { events.append($0) }
        #expect(result.stopReason == .error)
        guard case .exited(let status, let tail) = result.error else {
            Issue.record("expected the agent's exit, got \(String(describing: result.error))")
            return
        }
        #expect(status == "exit code 7")
        #expect(tail.contains("crashed on purpose"))
        #expect(texts(events.all) == ["about to crash"])
        #expect(await session.isLive == false)
        let stored = try #require(folder.read("fake-1"))
        #expect(stored.status == "terminated")
        #expect(stored.messages.last?["stop_reason"]?.stringValue == "error")
        await #expect(throws: AgentError.self) { _ = try await session.prompt("again") { _ in } }
    }

    @Test func aRequestTheClientDoesNotKnowGetsMethodNotFound() async throws {
        let directory = try TemporaryDirectory()
        let session = try await AgentSession.start(options("unknown-request", directory.path), folder: nil)
        let events = EventLog()
        _ = try await session.prompt("hello") { events.append($0) }
        #expect(texts(events.all) == ["unknown method answered with -32601"])
        await session.close()
    }

    @Test func anAgentOfAnotherProtocolVersionIsRefused() async throws {
        let directory = try TemporaryDirectory()
        await #expect(throws: AgentError.protocolViolation("the agent speaks ACP version 2; this client speaks 1")) {
            _ = try await AgentSession.start(options("version2", directory.path), folder: nil)
        }
    }

    @Test func anAgentThatExitsAtOnceFailsTheStartWithItsStderr() async throws {
        let directory = try TemporaryDirectory()
        do {
            _ = try await AgentSession.start(options("silent-exit", directory.path), folder: nil)
            Issue.record("the start should fail")
        } catch {
            guard case .exited(let status, let tail) = error else {
                Issue.record("expected the agent's exit, got \(error)")
                return
            }
            #expect(status == "exit code 4")
            #expect(tail.contains("nothing to do"))
        }
    }

    @Test func aMissingProgramIsALaunchFailure() async throws {
        let directory = try TemporaryDirectory()
        var options = options("echo", directory.path)
        options.agent.command = ["/nonexistent/agent"]
        await #expect(throws: AgentError.self) { _ = try await AgentSession.start(options, folder: nil) }
    }
}

/// Events collected from a turn.
final class EventLog: Sendable {
    private let events = Mutex<[AgentEvent]>([])

    func append(_ event: AgentEvent) { events.withLock { $0.append(event) } }

    var all: [AgentEvent] { events.withLock { $0 } }
}

/// Modes and config options.
@Suite struct SessionSettingsTests {
    private static let fakeAgent = URL(fileURLWithPath: BuiltBinary().path).deletingLastPathComponent().appendingPathComponent(
        "ghc-fake-agent"
    ).path

    private func start(_ directory: String) async throws -> AgentSession {
        let options = SessionOptions(
            agent: ResolvedAgent(kind: "fake", title: "Fake", command: [Self.fakeAgent, "echo"], environment: [:], bypassMode: "plan"),
            directory: directory,
            policy: .allow,
            machine: "test",
            owner: "test",
            setupTimeout: .seconds(20)
        )
        return try await AgentSession.start(options, folder: nil)
    }

    @Test func allowingByPolicySwitchesToTheAgentsNoPromptModeAndUnknownModesAreRefused() async throws {
        let directory = try TemporaryDirectory()
        let session = try await start(directory.path)
        #expect(await session.header["modes"]?["currentModeId"] == "plan")
        await #expect(throws: AgentError.protocolViolation("no mode 'yolo'; the agent offers ask, plan")) {
            try await session.setMode("yolo")
        }
        try await session.setMode("ask")
        #expect(await session.header["modes"]?["currentModeId"] == "ask")
        await session.close()
    }

    @Test func booleanConfigOptionsAreSentWithTheirType() async throws {
        let directory = try TemporaryDirectory()
        let session = try await start(directory.path)
        try await session.setConfigOption("thinking", value: true)
        #expect(await session.header["config_options"] == [["id": "thinking", "currentValue": true, "type": "boolean"]])
        try await session.setConfigOption("model", value: "fast")
        #expect(await session.header["config_options"] == [["id": "model", "currentValue": "fast", "type": "select"]])
        await session.close()
    }
}
