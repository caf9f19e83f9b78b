import GHCCore

/// The JSON of the config manager (`GET /api/config-manager/status` and `config-hashes`, `sync status --json`):
/// ghc-api 1.0.31's keys, plus how the folder was found, the machine, and each file's state and times.
package enum SyncReport {
    /// The status of a session, or of sync being off or without a folder (`problem`): refreshes the hash files and
    /// reads every file.
    package static func status(_ session: SyncSession?, disabled: Bool, problem: SyncError?) -> JSONValue {
        let (refreshed, errors) = refresh(session)
        return status(session, files: session?.files() ?? [], refreshed: refreshed, errors: errors, disabled: disabled, problem: problem)
    }

    /// Refreshes a session's hash files: those written, and why one could not be.
    package static func refresh(_ session: SyncSession?) -> (refreshed: [String], errors: [String]) {
        do {
            return (try session?.refreshHashes() ?? [], [])
        } catch {
            return ([], [error.description])
        }
    }

    /// The status document of files already read.
    package static func status(
        _ session: SyncSession?,
        files: [SyncSession.FileState],
        refreshed: [String],
        errors: [String],
        disabled: Bool,
        problem: SyncError?
    ) -> JSONValue {
        var object: [String: JSONValue] = [
            "onedrive_access_disabled": .bool(disabled),
            "onedrive_path": session.map { .string($0.root.path) } ?? .null,
            "found_by": session.map { .string($0.root.how) } ?? .null,
            "machine": session.map { .string($0.machine) } ?? .null,
            "sync_root": session.map { .string($0.syncRoot) } ?? .null,
            "agent_root": session.map { .string($0.agentRoot) } ?? .null,
            "has_sync_files": .bool(files.contains { $0.syncExists }),
            "has_differences": .bool(files.contains { $0.different }),
            "files": .object(Dictionary(uniqueKeysWithValues: files.map { ($0.key.rawValue, json($0)) })),
            "hash_paths": session.map { ["config_sync_hash": .string($0.sharedHashFile), "agent_hash": .string($0.machineHashFile)] }
                ?? .null,
            "hash_refreshed": .array(refreshed.map(JSONValue.string)),
            "hash_errors": .array(errors.map(JSONValue.string)),
        ]
        if let problem { object["error"] = .string(problem.description) }
        return .object(object)
    }

    /// `{onedrive_access_disabled, onedrive_path, shared_hash, machines}`.
    package static func hashes(_ session: SyncSession?, disabled: Bool) -> JSONValue {
        _ = try? session?.refreshHashes()
        let (shared, machines) = session?.hashes() ?? (nil, [])
        return [
            "onedrive_access_disabled": .bool(disabled), "onedrive_path": session.map { .string($0.root.path) } ?? .null,
            "shared_hash": shared?.json ?? .null, "machines": .array(machines.map(\.json)),
        ]
    }

    /// The result of a push or pull: `copied`/`restored`, `skipped`, `backups`, `outcomes` and the new `status`.
    package static func transfer(_ outcomes: [SyncSession.Outcome], session: SyncSession, pushed: Bool, disabled: Bool) -> JSONValue {
        let done = outcomes.filter { $0.action == "copied" }
        let skipped = outcomes.filter { $0.action == "skipped" }
        return [
            "ok": true, "sync_root": .string(session.syncRoot),
            pushed ? "copied" : "restored": .object(Dictionary(uniqueKeysWithValues: done.map { ($0.key.rawValue, .string($0.target)) })),
            "skipped": .object(Dictionary(uniqueKeysWithValues: skipped.map { ($0.key.rawValue, .string($0.reason ?? "")) })),
            "backups": .object(
                Dictionary(
                    uniqueKeysWithValues: outcomes.compactMap { outcome in outcome.backup.map { (outcome.key.rawValue, .string($0)) } }
                )
            ),
            "outcomes": .array(outcomes.map { .string($0.line) }),
            "status": status(session, disabled: disabled, problem: nil),
        ]
    }

    /// The line `serve` prints at start: sync off, no OneDrive folder, nothing synced yet, what differs, or a match.
    /// Refreshes this machine's hash files, as the original does at start.
    package static func startupLine(config: GHCConfig, configFile: String, sync: SyncEnvironment) -> String {
        let session: SyncSession
        do {
            session = try SyncSetup.session(
                config: config,
                configFile: configFile,
                sync: sync
            )
        } catch .disabled {
            return "Config sync: off (disable_onedrive_access: true)"
        } catch {
            return "Config sync: \(error)"
        }
        var problems = ""
        do {
            try session.refreshHashes()
        } catch {
            problems = "; failed to update a hash file: \(error)"
        }
        let files = session.files()
        if !files.contains(where: \.syncExists) {
            return "Config sync: no synced config files in \(session.syncRoot) yet (ghc-api sync push)\(problems)"
        }
        let differing = files.filter(\.different).map(\.key.rawValue)
        if differing.isEmpty { return "Config sync: local config matches OneDrive's (\(session.syncRoot))\(problems)" }
        return "Config sync: local config differs from OneDrive's for \(differing.joined(separator: ", ")) (ghc-api sync diff)\(problems)"
    }

    private static func json(_ state: SyncSession.FileState) -> JSONValue {
        [
            "local_path": .string(state.localPath), "sync_path": .string(state.syncPath), "local_exists": .bool(state.localExists),
            "sync_exists": .bool(state.syncExists), "different": .bool(state.different), "state": .string(state.state),
            "local_modified": state.localModified.map { .int(Int($0)) } ?? .null,
            "sync_modified": state.syncModified.map { .int(Int($0)) } ?? .null, "error": state.error.map(JSONValue.string) ?? .null,
        ]
    }
}
