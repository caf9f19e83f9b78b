import GHCCore
import GHCSync

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `ghc-api sync …`: keep Claude Code's, Codex's and ghc-api's settings in step through OneDrive.
enum SyncCommand {
    private static let onedrive = FlagSpec.option("onedrive", .path("DIR"), "The OneDrive folder (else onedrive_path, else detected)")
    private static let keys = PositionalSpec(
        "KEY",
        "Which files: claude, codex, ghc-api (all when none is named)",
        optional: true,
        choices: SyncKey.allCases.map(\.rawValue),
        repeats: true
    )

    /// The `sync` command and its subcommands.
    static let spec = CommandSpec(
        "sync",
        summary: "Keep Claude Code, Codex and ghc-api settings in step across machines through OneDrive",
        discussion:
            "Shared copies live in <OneDrive>/.ghc-api/configSync, each machine's hash in .ghc-api/agents/<machine>, as ghc-api 1.0.31 keeps them. Sync needs disable_onedrive_access: false, or the folder named with --onedrive or onedrive_path. Codex's [projects.*] tail, and ghc-api's machine_name and onedrive_path, stay on each machine. Every file overwritten on either side is first backed up as <file>.<YYYYMMDD_HHMMSS>.bak.",
        subcommands: [
            CommandSpec(
                "status",
                summary: "Show each file here and in OneDrive, and every machine's hash; exit 3 when something differs",
                flags: [onedrive, .toggle("json", "Print the dashboard's JSON")],
                examples: [CommandExample("sync status", "What differs, and which machines match the shared copy")],
                handler: status
            ),
            CommandSpec(
                "diff",
                summary: "Print a unified diff of this machine's files against OneDrive's",
                flags: [onedrive],
                positionals: [keys],
                examples: [CommandExample("sync diff codex", "Codex's shared settings, OneDrive's against this machine's")],
                handler: diff
            ),
            CommandSpec(
                "push",
                summary: "Copy this machine's files to OneDrive (backing up what they replace)",
                flags: [onedrive, .toggle("dry-run", "Say what would be copied; change nothing")],
                positionals: [keys],
                examples: [CommandExample("sync push claude --dry-run", "What a push of Claude Code's settings would do")],
                handler: push
            ),
            CommandSpec(
                "pull",
                summary: "Copy OneDrive's files to this machine (backing up what they replace)",
                flags: [onedrive, .toggle("dry-run", "Say what would be copied; change nothing")],
                positionals: [keys],
                examples: [CommandExample("sync pull", "Take every shared file; a running serve applies config.yaml at once")],
                handler: pull
            ),
            CommandSpec(
                "backups",
                summary: "List the backups of each synced file, here and in OneDrive",
                flags: [onedrive, .option("prune", .integer("N", 0...10_000), "Keep only the newest N backups of each file")],
                examples: [CommandExample("sync backups --prune 5", "Delete all but the five newest backups of each file")],
                handler: backups
            ),
        ]
    )

    /// Exit status when something differs.
    static let differs = ExitCode(3)

    /// Prints the state of each file and the machines' hashes; 0 when all match, 3 when something differs.
    static func status(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let (session, disabled) = try open(arguments, context)
        let (refreshed, errors) = SyncReport.refresh(session)
        let files = session.files()
        if arguments.has("json") {
            let report = SyncReport.status(session, files: files, refreshed: refreshed, errors: errors, disabled: disabled, problem: nil)
            context.stdout.line(report.jsonString(pretty: true))
        } else {
            printStatus(session, files: files, context)
        }
        if files.contains(where: { $0.error != nil }) { return .failure }
        return files.contains(where: \.different) ? differs : .success
    }

    private static func printStatus(_ session: SyncSession, files: [SyncSession.FileState], _ context: CommandContext) {
        let style = context.style
        context.stdout.line("OneDrive: \(session.root.path) (\(session.root.how))")
        context.stdout.line("Machine:  \(session.machine)")
        context.stdout.line("Shared:   \(session.syncRoot)")
        context.stdout.line("")
        for file in files {
            let state = file.state.padding(13)
            let coloured = file.state == "same" ? style.green(state) : file.state == "missing" ? style.dim(state) : style.yellow(state)
            context.stdout.line("\(file.key.rawValue.padding(8)) \(coloured) \(file.localPath)")
            context.stdout.line("                       here  \(time(file.localModified))   OneDrive \(time(file.syncModified))")
            if let error = file.error { context.stdout.line("                       " + style.red(error)) }
        }
        let (shared, machines) = session.hashes()
        context.stdout.line("")
        context.stdout.line("Hashes")
        context.stdout.line("  shared (configSync)   \(shared.hash ?? "none")  \(time(shared.created))")
        for machine in machines {
            let mark = machine.hash == nil ? "" : machine.hash == shared.hash ? style.green("matches shared") : style.yellow("differs")
            let name = (machine.machine ?? "") + (machine.machine == session.machine ? " (this one)" : "")
            context.stdout.line("  \(name.padding(21)) \(machine.hash ?? "none")  \(time(machine.created))  \(mark)")
        }
    }

    /// Prints the diffs; 0 when none, 3 when a file differs.
    static func diff(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let (session, _) = try open(arguments, context)
        var differed = false
        for key in selected(arguments) {
            let lines = try session.diff(key)
            differed = differed || !lines.isEmpty
            for line in lines {
                let style = context.style
                let shown =
                    line.hasPrefix("@@")
                    ? style.bold(line) : line.hasPrefix("+") ? style.green(line) : line.hasPrefix("-") ? style.red(line) : line
                context.stdout.line(shown)
            }
        }
        return differed ? differs : .success
    }

    /// Copies this machine's files to OneDrive.
    static func push(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let (session, _) = try open(arguments, context)
        return report(try session.push(selected(arguments), dryRun: arguments.has("dry-run")), dryRun: arguments.has("dry-run"), context)
    }

    /// Copies OneDrive's files to this machine.
    static func pull(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let (session, _) = try open(arguments, context)
        return report(try session.pull(selected(arguments), dryRun: arguments.has("dry-run")), dryRun: arguments.has("dry-run"), context)
    }

    /// Lists (and with `--prune N` thins) the backups of each synced file on both sides.
    static func backups(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let (session, _) = try open(arguments, context)
        let keep = arguments.integer("prune")
        for key in SyncKey.allCases {
            for path in [session.localPath(key), session.syncPath(key)] {
                let deleted = keep.map { Backups.prune(path, keep: $0) } ?? []
                let kept = Backups.list(path)
                context.stdout.line("\(path): \(kept.count) backup(s)" + (deleted.isEmpty ? "" : ", \(deleted.count) deleted"))
                for backup in kept { context.stdout.line("  \(backup)") }
            }
        }
        return .success
    }

    private static func report(_ outcomes: [SyncSession.Outcome], dryRun: Bool, _ context: CommandContext) -> ExitCode {
        for outcome in outcomes {
            guard dryRun else {
                context.stdout.line(outcome.line)
                continue
            }
            switch outcome.action {
            case "copied":
                let backup = FileStore.exists(outcome.target) ? " (the old file would be backed up)" : ""
                context.stdout.line("\(outcome.key.rawValue): would be copied to \(outcome.target)\(backup)")
            default: context.stdout.line(outcome.line)
            }
        }
        if dryRun { context.stdout.line("Dry run: nothing was changed.") }
        return .success
    }

    private static func selected(_ arguments: ParsedArguments) -> [SyncKey] {
        let named = arguments.positionals(from: 0).compactMap(SyncKey.init(rawValue:))
        return named.isEmpty ? SyncKey.allCases : SyncKey.allCases.filter(named.contains)
    }

    private static func open(_ arguments: ParsedArguments, _ context: CommandContext) throws -> (SyncSession, Bool) {
        let loaded = try LoadedConfig.load(arguments, context)
        let session = try SyncSetup.session(
            config: loaded.config,
            configFile: loaded.location.configFile,
            flag: arguments.value("onedrive"),
            sync: SyncEnvironment(environment: context.environment, home: context.home)
        )
        return (session, loaded.config.disablesOneDrive)
    }

    private static func time(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        return Timestamp.localISO(Date(timeIntervalSince1970: seconds)).replacingAll("T", with: " ")
    }
}
