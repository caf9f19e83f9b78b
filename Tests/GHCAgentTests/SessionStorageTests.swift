import Foundation
import GHCAgent
import GHCCore
import GHCTestSupport
import Testing

/// `<id>.jl.b64gz` files as ghc-api 1.0.31 writes and reads them, and `workdirs.json`.
@Suite struct SessionStorageTests {
    @Test func recordedSessionsReadBackWithMessagesAndStatus() throws {
        let root = try TemporaryDirectory()
        let folder = SessionFolder(path: root.path + "/sessions")
        let recorder = SessionRecorder(folder: folder, id: "sess_1")
        recorder.start([
            "session_id": "sess_1", "agent_kind": "claude-code", "created_at": "2026-12-02T10:00:00.000001", "status": "active",
        ])
        recorder.user([["type": "text", "text": "hi"]])
        recorder.agent([["sessionUpdate": "agent_message_chunk", "content": ["type": "text", "text": "hello"]]], stopReason: "end_turn")
        recorder.status("terminated")
        let stored = try #require(folder.read("sess_1"))
        #expect(stored.agentKind == "claude-code")
        #expect(stored.status == "terminated")
        #expect(stored.messages.count == 2)
        #expect(stored.messages[1]["updates"]?.arrayValue?.first?["content"]?["text"]?.stringValue == "hello")
        #expect(stored.summary["message_count"] == 2)
        #expect(folder.list().map(\.id) == ["sess_1"])
    }

    @Test func linesArePythonsBase64OfGzipAndDamagedLinesAreSkipped() throws {
        let root = try TemporaryDirectory()
        // Written by Python: base64.b64encode(gzip.compress(json.dumps({...}).encode())).
        let header = "H4sIAJEVEGsC/6tWKk4tLs7Mz4vPTFGyUlDKSU1PTK6MN1TSUVAqLkksKS0GiSYml2SWpSrVAgAaFQFJLgAAAA=="
        let file = root.path + "/legacy_1.jl.b64gz"
        try (header + "\nnot base64 at all\n").write(toFile: file, atomically: true, encoding: .utf8)
        #expect(SessionLine.decode(header) == ["session_id": "legacy_1", "status": "active"])
        let stored = try #require(SessionFolder(path: root.path).read("legacy_1"))
        #expect(stored.status == "active")
        #expect(stored.messages.isEmpty)
        let line = try SessionLine.encode(["session_id": "x"])
        #expect(SessionLine.decode(String(decoding: line, as: UTF8.self)) == ["session_id": "x"])
    }

    @Test func legacyJSONSessionsAreRead() throws {
        let root = try TemporaryDirectory()
        let legacy = #"{"session_id":"old_1","agent_kind":"codex","status":"terminated","messages":[{"role":"user","content":[]}]}"#
        try legacy.write(toFile: root.path + "/old_1.json", atomically: true, encoding: .utf8)
        let stored = try #require(SessionFolder(path: root.path).read("old_1"))
        #expect(stored.agentKind == "codex")
        #expect(stored.messages.count == 1)
    }

    @Test func unsafeIDsNeverReachTheFileSystem() throws {
        #expect(!SessionFolder.isValidID("../../etc/passwd"))
        #expect(!SessionFolder.isValidID(".."))
        #expect(SessionFolder.isValidID("sess_abc-123.x"))
        let root = try TemporaryDirectory()
        #expect(throws: AgentError.self) { try SessionFolder(path: root.path).append("../x", [["a": 1]]) }
    }

    @Test func workDirectoriesKeepTwentyNewestFirstWithoutDuplicates() throws {
        let root = try TemporaryDirectory()
        let dirs = WorkDirectories(file: root.path + "/workdirs.json")
        for index in 0..<25 { try dirs.remember("/src/p\(index)") }
        try dirs.remember("/src/p20/./")
        let list = dirs.list()
        #expect(list.count == 20)
        #expect(list.first == "/src/p20/./")
        #expect(list.filter { $0.hasPrefix("/src/p20") }.count == 1)
    }
}
