import Foundation
import GHCAgent
import GHCTestSupport
import Testing

/// `fs/*` stays inside the session's directories, symlinks included.
@Suite struct WorkspaceAccessTests {
    @Test func readsWholeFilesAndLineWindows() throws {
        let root = try TemporaryDirectory()
        try "one\ntwo\nthree\n".write(toFile: root.path + "/a.txt", atomically: true, encoding: .utf8)
        let workspace = WorkspaceAccess(directory: root.path)
        #expect(try workspace.read(path: root.path + "/a.txt") == "one\ntwo\nthree\n")
        #expect(try workspace.read(path: root.path + "/a.txt", line: 2, limit: 1) == "two")
        #expect(try workspace.read(path: root.path + "/a.txt", line: 2) == "two\nthree\n")
        #expect(try workspace.read(path: root.path + "/a.txt", line: 9, limit: 2) == "")
    }

    @Test func refusesPathsOutsideAndThroughEscapingLinks() throws {
        let root = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try "secret".write(toFile: outside.path + "/secret.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/link", withDestinationPath: outside.path)
        try FileManager.default.createSymbolicLink(atPath: root.path + "/file-link", withDestinationPath: outside.path + "/secret.txt")
        let workspace = WorkspaceAccess(directory: root.path)
        for path in [outside.path + "/secret.txt", root.path + "/link/secret.txt", root.path + "/file-link", root.path + "/../" + "x"] {
            #expect(throws: RPCError.self) { _ = try workspace.read(path: path) }
            do {
                _ = try workspace.read(path: path)
            } catch {
                #expect(error.code == -32002)
                #expect(error.message.contains("outside the session's directories"))
            }
        }
        #expect(throws: RPCError.self) { try workspace.write(path: root.path + "/link/new.txt", content: "x") }
        #expect(!FileManager.default.fileExists(atPath: outside.path + "/new.txt"))
        #expect(throws: RPCError.self) { _ = try workspace.read(path: "relative.txt") }
    }

    @Test func addedDirectoriesAreReachableAndWritesCreateFolders() throws {
        let root = try TemporaryDirectory()
        let extra = try TemporaryDirectory()
        let workspace = WorkspaceAccess(directory: root.path, additional: [extra.path])
        try workspace.write(path: extra.path + "/deep/er/notes.md", content: "hé")
        #expect(try workspace.read(path: extra.path + "/deep/er/notes.md") == "hé")
        do {
            _ = try workspace.read(path: root.path + "/missing.txt")
            Issue.record("a missing file should fail")
        } catch {
            #expect(error.code == -32002)
        }
    }
}
