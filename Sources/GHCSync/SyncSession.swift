import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Sync between this machine and the OneDrive folder: the layout of the Python original
/// (`<OneDrive>/.ghc-api/configSync/` for the shared copies, `agents/<machine>/` for each machine's hash).
package struct SyncSession: Sendable {
    /// The OneDrive folder and how it was found.
    package let root: OneDriveLocator.Found
    /// This machine's name.
    package let machine: String
    /// The home folder (`~/.claude`, `~/.codex`).
    package let home: String
    /// ghc-api's `config.yaml`.
    package let configFile: String
    private let access: SyncFileAccess

    /// A session for one machine.
    package init(root: OneDriveLocator.Found, machine: String, home: String, configFile: String) {
        self.root = root
        self.machine = machine
        self.home = home
        self.configFile = configFile
        access = SyncFileAccess(roots: [root.path, home])
    }

    /// `<OneDrive>/.ghc-api/configSync`.
    package var syncRoot: String { root.path + "/.ghc-api/configSync" }
    /// `<OneDrive>/.ghc-api/agents`.
    package var agents: String { root.path + "/.ghc-api/agents" }
    /// `<OneDrive>/.ghc-api/agents/<machine>`.
    package var agentRoot: String { agents + "/" + machine }
    /// The shared hash file.
    package var sharedHashFile: String { syncRoot + "/config.sha1" }
    /// This machine's hash file.
    package var machineHashFile: String { agentRoot + "/config.sha1" }

    /// The file on this machine.
    package func localPath(_ key: SyncKey) -> String {
        switch key {
        case .claude: home + "/.claude/settings.json"
        case .codex: home + "/.codex/config.toml"
        case .ghcAPI: configFile
        }
    }

    /// The shared copy.
    package func syncPath(_ key: SyncKey) -> String { syncRoot + "/" + key.syncName }

    /// One file's state.
    package struct FileState: Sendable {
        /// Which file.
        package var key: SyncKey
        /// Its path here.
        package var localPath: String
        /// The shared copy's path.
        package var syncPath: String
        /// Whether it exists here.
        package var localExists: Bool
        /// Whether the shared copy exists.
        package var syncExists: Bool
        /// Whether the shared parts differ (or only one side exists).
        package var different: Bool
        /// When each side last changed.
        package var localModified: Double?
        /// When the shared copy last changed.
        package var syncModified: Double?
        /// Why a side could not be read.
        package var error: String?

        /// `same`, `different`, `missing-here`, `missing-there`, `missing` or `error`.
        package var state: String {
            if error != nil { return "error" }
            switch (localExists, syncExists) {
            case (false, false): return "missing"
            case (false, true): return "missing-here"
            case (true, false): return "missing-there"
            case (true, true): return different ? "different" : "same"
            }
        }
    }

    /// Every file's state, reading both sides (an unreadable file is a state with its error, not a failure).
    package func files() -> [FileState] {
        SyncKey.allCases.map { key in
            var state = FileState(
                key: key,
                localPath: localPath(key),
                syncPath: syncPath(key),
                localExists: false,
                syncExists: false,
                different: false,
                localModified: SyncFileAccess.modified(localPath(key)),
                syncModified: SyncFileAccess.modified(syncPath(key))
            )
            do throws(SyncError) {
                let local = try access.read(localPath(key), as: key)
                let remote = try access.read(syncPath(key), as: key)
                state.localExists = local != nil
                state.syncExists = remote != nil
                state.different = (local != nil || remote != nil) && local.map(key.shared) != remote.map(key.shared)
            } catch {
                state.error = error.description
                state.different = true
            }
            return state
        }
    }

    /// The diff of one file, local against shared (shared parts only).
    package func diff(_ key: SyncKey) throws(SyncError) -> [String] {
        let local = try access.read(localPath(key), as: key).map(key.shared) ?? []
        let remote = try access.read(syncPath(key), as: key).map(key.shared) ?? []
        return UnifiedDiff.make(
            old: String(decoding: remote, as: UTF8.self),
            new: String(decoding: local, as: UTF8.self),
            oldName: "onedrive/\(key.syncName)",
            newName: "local/\(key.rawValue)"
        )
    }

    /// What a push or pull did, or would do, to one file.
    package struct Outcome: Sendable, Equatable {
        /// Which file.
        package var key: SyncKey
        /// `copied`, `unchanged` or `skipped`.
        package var action: String
        /// The file written (or that would be).
        package var target: String
        /// Why it was skipped.
        package var reason: String?
        /// The backup of what it replaced.
        package var backup: String?

        /// One summary line.
        package var line: String {
            var text = "\(key.rawValue): \(action)"
            switch action {
            case "copied": text += " to \(target)"
            case "skipped": text += " (\(reason ?? ""))"
            default: text += " (\(target) already matches)"
            }
            if let backup { text += "; the old file is in \(backup)" }
            return text
        }
    }

    /// Copies this machine's files to OneDrive (Codex: the header, keeping the shared tail; ghc-api: without this
    /// machine's lines), backing up every shared copy it replaces. Every file is read and checked before any is written.
    package func push(_ keys: [SyncKey], dryRun: Bool, now: Date = Date()) throws(SyncError) -> [Outcome] {
        try transfer(keys, dryRun: dryRun, now: now, towardsOneDrive: true)
    }

    /// Copies the shared files here (Codex: keeping this machine's `[projects.*]` tail; ghc-api: keeping its
    /// `machine_name` and `onedrive_path`), backing up every file it replaces.
    package func pull(_ keys: [SyncKey], dryRun: Bool, now: Date = Date()) throws(SyncError) -> [Outcome] {
        guard FileStore.exists(syncRoot) else { throw .noSyncFolder(syncRoot) }
        return try transfer(keys, dryRun: dryRun, now: now, towardsOneDrive: false)
    }

    private func transfer(_ keys: [SyncKey], dryRun: Bool, now: Date, towardsOneDrive: Bool) throws(SyncError) -> [Outcome] {
        var plans: [(outcome: Outcome, old: [UInt8]?, new: [UInt8]?)] = []
        for key in keys {
            let local = try access.read(localPath(key), as: key)
            let remote = try access.read(syncPath(key), as: key)
            let (source, destination) = towardsOneDrive ? (local, remote) : (remote, local)
            let target = towardsOneDrive ? syncPath(key) : localPath(key)
            guard let source else {
                let reason = towardsOneDrive ? "no \(localPath(key)) on this machine" : "no \(syncPath(key)) in OneDrive"
                plans.append((Outcome(key: key, action: "skipped", target: target, reason: reason), nil, nil))
                continue
            }
            let written = towardsOneDrive ? key.pushed(local: source, remote: destination) : key.pulled(remote: source, local: destination)
            try SyncFileAccess.check(written, as: key, path: target)
            let action = written == destination ? "unchanged" : "copied"
            plans.append((Outcome(key: key, action: action, target: target), destination, action == "copied" ? written : nil))
        }
        guard !dryRun else { return plans.map(\.outcome) }
        var outcomes: [Outcome] = []
        for var plan in plans {
            if let new = plan.new {
                if let old = plan.old { plan.outcome.backup = try Backups.make(plan.outcome.target, bytes: old, now: now) }
                do {
                    try FileStore.ensureDirectory(FileStore.parentDirectory(of: plan.outcome.target), mode: 0o755)
                } catch {
                    throw .cannotWrite(plan.outcome.target, error.description)
                }
                try access.write(new, to: plan.outcome.target)
            }
            outcomes.append(plan.outcome)
        }
        _ = try? refreshHashes()
        return outcomes
    }

    /// Rewrites this machine's hash (of its files) and the shared hash (of the shared copies) where they are stale;
    /// returns the files written.
    @discardableResult
    package func refreshHashes() throws(SyncError) -> [String] {
        var written: [String] = []
        let local = try contents { localPath($0) }
        let newestLocal = SyncKey.allCases.compactMap { SyncFileAccess.modified(localPath($0)) }.max()
        if try ConfigHashes.refresh(machineHashFile, hash: ConfigHashes.hash(local), newest: newestLocal) {
            written.append(machineHashFile)
        }
        if FileStore.exists(syncRoot) {
            let shared = try contents { syncPath($0) }
            let newestShared = SyncKey.allCases.compactMap { SyncFileAccess.modified(syncPath($0)) }.max()
            if try ConfigHashes.refresh(sharedHashFile, hash: ConfigHashes.hash(shared), newest: newestShared) {
                written.append(sharedHashFile)
            }
        }
        return written
    }

    /// The shared hash and every machine's.
    package func hashes() -> (shared: ConfigHashes.Entry, machines: [ConfigHashes.Entry]) {
        (ConfigHashes.Entry(path: sharedHashFile, machine: nil), ConfigHashes.machines(agents: agents))
    }

    private func contents(_ path: (SyncKey) -> String) throws(SyncError) -> [SyncKey: [UInt8]] {
        var files: [SyncKey: [UInt8]] = [:]
        for key in SyncKey.allCases { files[key] = try access.read(path(key), as: key) }
        return files
    }
}
