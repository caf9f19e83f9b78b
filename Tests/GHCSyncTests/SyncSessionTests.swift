import Foundation
import GHCCore
import GHCSync
import GHCTestSupport
import Testing

/// Two machines, `alpha` and `beta`, sharing one OneDrive folder in a temporary directory.
struct TwoMachines {
    let directory: TemporaryDirectory
    let alpha: SyncSession
    let beta: SyncSession

    init() throws {
        directory = try TemporaryDirectory(prefix: "sync")
        let root = OneDriveLocator.Found(path: directory.file("OneDrive"), how: "test")
        for folder in ["OneDrive", "alpha/.claude", "alpha/.codex", "alpha/cfg", "beta/.codex", "beta/cfg"] {
            try FileManager.default.createDirectory(atPath: directory.file(folder), withIntermediateDirectories: true)
        }
        alpha = SyncSession(
            root: root,
            machine: "alpha",
            home: directory.file("alpha"),
            configFile: directory.file("alpha/cfg/config.yaml")
        )
        beta = SyncSession(root: root, machine: "beta", home: directory.file("beta"), configFile: directory.file("beta/cfg/config.yaml"))
    }

    func write(_ path: String, _ text: String) throws {
        try FileStore.writeAtomically(text, to: path)
    }

    func read(_ path: String) -> String? {
        (try? FileStore.readText(path)).flatMap { $0 }
    }

    /// Every file under the directory with its bytes.
    func tree() throws -> [String: String] {
        var files: [String: String] = [:]
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: directory.file(name), isDirectory: &isDirectory), !isDirectory.boolValue {
                files[name] = read(directory.file(name))
            }
        }
        return files
    }

    /// Alpha's three files.
    func seedAlpha() throws {
        try write(alpha.localPath(.claude), #"{"model":"opus","permissions":{"allow":["Bash(ls)"]}}"#)
        try write(
            alpha.localPath(.codex),
            "model = \"gpt-5.5\"\napproval = \"never\"\n[projects.\"/home/alpha/src\"]\ntrust_level = \"trusted\"\n"
        )
        try write(alpha.localPath(.ghcAPI), "port: 9000\nmachine_name: alpha\nsave_request_to_file: true\n")
    }
}

@Suite struct SyncSessionTests {
    @Test func aPushFromOneMachineAndAPullOnAnotherKeepEachMachinesOwnParts() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        try machines.write(machines.beta.localPath(.codex), "model = \"old\"\n[projects.\"/home/beta/work\"]\ntrust_level = \"trusted\"\n")
        try machines.write(machines.beta.localPath(.ghcAPI), "port: 8313\nmachine_name: beta\nonedrive_path: /mnt/beta\n")

        let pushed = try machines.alpha.push(SyncKey.allCases, dryRun: false)
        #expect(pushed.map(\.action) == ["copied", "copied", "copied"])
        #expect(
            machines.read(machines.alpha.syncPath(.codex)) == "model = \"gpt-5.5\"\napproval = \"never\"",
            "alpha's projects stay on alpha"
        )
        #expect(machines.read(machines.alpha.syncPath(.ghcAPI)) == "port: 9000\nsave_request_to_file: true\n")

        let pulled = try machines.beta.pull(SyncKey.allCases, dryRun: false)
        #expect(pulled.map(\.action) == ["copied", "copied", "copied"])
        #expect(machines.read(machines.beta.localPath(.claude)) == #"{"model":"opus","permissions":{"allow":["Bash(ls)"]}}"#)
        #expect(
            machines.read(machines.beta.localPath(.codex))
                == "model = \"gpt-5.5\"\napproval = \"never\"\n[projects.\"/home/beta/work\"]\ntrust_level = \"trusted\"\n"
        )
        #expect(
            machines.read(machines.beta.localPath(.ghcAPI))
                == "port: 9000\nsave_request_to_file: true\nmachine_name: beta\nonedrive_path: /mnt/beta\n"
        )
        #expect(machines.beta.files().allSatisfy { $0.state == "same" })
        #expect(machines.alpha.files().allSatisfy { $0.state == "same" })
        // Beta's old files were backed up before they were replaced.
        #expect(
            pulled.first { $0.key == .codex }?.backup.map { machines.read($0) }
                == "model = \"old\"\n[projects.\"/home/beta/work\"]\ntrust_level = \"trusted\"\n"
        )

        // Now beta's codex changes and is pushed: alpha's projects in the shared copy (none) stay, the old shared copy is backed up.
        try machines.write(
            machines.beta.localPath(.codex),
            "model = \"newer\"\n[projects.\"/home/beta/work\"]\ntrust_level = \"trusted\"\n"
        )
        let again = try machines.beta.push([.codex], dryRun: false)
        #expect(again.first?.backup.map { machines.read($0) } == "model = \"gpt-5.5\"\napproval = \"never\"")
        #expect(machines.read(machines.beta.syncPath(.codex)) == "model = \"newer\"")
        #expect(machines.alpha.files().first { $0.key == .codex }?.state == "different")
    }

    @Test func hashesAgreeAcrossMachinesInStepAndLeaveMachineLinesOut() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        _ = try machines.alpha.push(SyncKey.allCases, dryRun: false)
        try machines.write(machines.beta.localPath(.ghcAPI), "machine_name: beta\n")
        _ = try machines.beta.pull(SyncKey.allCases, dryRun: false)
        try machines.beta.refreshHashes()
        let (shared, table) = machines.alpha.hashes()
        #expect(table.map(\.machine) == ["alpha", "beta"])
        #expect(table.allSatisfy { $0.hash == shared.hash } && shared.hash != nil)
        // The hash is SHA-1 of "[ghc-api]" + config + "[claude]" + settings + "[codex]" + header, without machine lines.
        let expected = SHA1.hex(
            Array("[ghc-api]port: 9000\nsave_request_to_file: true\n[claude]".utf8)
                + Array(#"{"model":"opus","permissions":{"allow":["Bash(ls)"]}}"#.utf8)
                + Array("[codex]model = \"gpt-5.5\"\napproval = \"never\"".utf8)
        )
        #expect(shared.hash == expected)
        #expect(ConfigHashes.hash([:]) == SHA1.hex(Array("[ghc-api]<missing>[claude]<missing>[codex]<missing>".utf8)))
    }

    @Test func aDryRunLeavesEveryByteAsItWas() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        _ = try machines.alpha.push(SyncKey.allCases, dryRun: false)
        try machines.write(machines.alpha.localPath(.claude), #"{"model":"sonnet"}"#)
        let before = try machines.tree()
        let push = try machines.alpha.push(SyncKey.allCases, dryRun: true)
        let pull = try machines.beta.pull(SyncKey.allCases, dryRun: true)
        #expect(try machines.tree() == before)
        #expect(push.map(\.action) == ["copied", "unchanged", "unchanged"])
        #expect(pull.map(\.action) == ["copied", "copied", "copied"])
    }

    @Test func backupsWithinOneSecondGetNamesOfTheirOwn() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        let now = Date()
        var backups: [String] = []
        for model in ["a", "b", "c"] {
            try machines.write(machines.alpha.localPath(.claude), #"{"model":"\#(model)"}"#)
            backups += try machines.alpha.push([.claude], dryRun: false, now: now).compactMap(\.backup)
        }
        #expect(backups.count == 2 && Set(backups).count == 2)
        #expect(backups[1].hasSuffix("-2.bak"))
        #expect(Backups.list(machines.alpha.syncPath(.claude)).count == 2)
        #expect(Backups.prune(machines.alpha.syncPath(.claude), keep: 1).count == 1)
        #expect(Backups.list(machines.alpha.syncPath(.claude)) == [backups[1]], "the newest is kept")
    }

    @Test(arguments: [
        (SyncKey.claude, #"{"model": "opus", "#),
        (SyncKey.ghcAPI, "port: [9000\n"),
        (SyncKey.ghcAPI, "port: seventy\n"),
        (SyncKey.codex, "model = \"\u{0}\"\n"),
    ])
    func aBadFileOnEitherSideChangesNothing(key: SyncKey, broken: String) throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        _ = try machines.alpha.push(SyncKey.allCases, dryRun: false)
        try machines.write(machines.alpha.localPath(.claude), #"{"model":"changed"}"#)
        try machines.write(machines.alpha.localPath(key), broken)
        let before = try machines.tree()
        #expect(throws: SyncError.self) { try machines.alpha.push(SyncKey.allCases, dryRun: false) }
        #expect(try machines.tree() == before)
        try machines.seedAlpha()
        try machines.write(machines.alpha.syncPath(key), broken)
        let shared = try machines.tree()
        #expect(throws: SyncError.self) { try machines.alpha.pull(SyncKey.allCases, dryRun: false) }
        #expect(try machines.tree() == shared)
        #expect(machines.alpha.files().first { $0.key == key }?.state == "error")
    }

    @Test func aVanishedOneDriveLeavesTheLocalFilesAlone() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        _ = try machines.alpha.push(SyncKey.allCases, dryRun: false)
        let local = try machines.tree().filter { $0.key.hasPrefix("alpha/") }
        try FileManager.default.removeItem(atPath: machines.directory.file("OneDrive"))
        #expect(throws: SyncError.self) { try machines.alpha.pull(SyncKey.allCases, dryRun: false) }
        #expect(try machines.tree().filter { $0.key.hasPrefix("alpha/") } == local)
    }

    @Test func largeFilesAndLinksOutsideAreRefused() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        try machines.write(machines.alpha.localPath(.codex), String(repeating: "# padding\n", count: (10 << 20) / 10 + 1))
        #expect(throws: SyncError.tooLarge(machines.alpha.localPath(.codex), (10 << 20) + 10)) {
            try machines.alpha.push([.codex], dryRun: false)
        }
        let outside = try TemporaryDirectory(prefix: "outside")
        defer { outside.remove() }
        try outside.write("settings.json", #"{"secret":true}"#)
        try FileManager.default.removeItem(atPath: machines.alpha.localPath(.claude))
        try FileManager.default.createSymbolicLink(
            atPath: machines.alpha.localPath(.claude),
            withDestinationPath: outside.file("settings.json")
        )
        #expect(throws: SyncError.self) { try machines.alpha.push([.claude], dryRun: false) }
        #expect(!FileStore.exists(machines.alpha.syncPath(.claude)))
    }

    @Test func aLinkedSettingsFileStaysALinkAfterAPull() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        _ = try machines.alpha.push([.claude], dryRun: false)
        let dotfiles = machines.directory.file("beta/dotfiles/claude-settings.json")
        try machines.write(dotfiles, #"{"model":"old"}"#)
        try FileManager.default.createDirectory(atPath: machines.directory.file("beta/.claude"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: machines.beta.localPath(.claude), withDestinationPath: dotfiles)
        _ = try machines.beta.pull([.claude], dryRun: false)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: machines.beta.localPath(.claude)) == dotfiles)
        #expect(machines.read(dotfiles) == #"{"model":"opus","permissions":{"allow":["Bash(ls)"]}}"#)
    }

    @Test func theDiffIsUnifiedAndShowsOnlySharedParts() throws {
        let machines = try TwoMachines()
        defer { machines.directory.remove() }
        try machines.seedAlpha()
        _ = try machines.alpha.push(SyncKey.allCases, dryRun: false)
        try machines.write(
            machines.alpha.localPath(.codex),
            "model = \"gpt-5.5\"\napproval = \"on-request\"\n[projects.\"/elsewhere\"]\nx = 1\n"
        )
        #expect(
            try machines.alpha.diff(.codex) == [
                "--- onedrive/codex_config.toml", "+++ local/codex", "@@ -1,2 +1,2 @@", " model = \"gpt-5.5\"", "-approval = \"never\"",
                "+approval = \"on-request\"",
            ]
        )
        #expect(try machines.alpha.diff(.claude) == [])
    }
}
