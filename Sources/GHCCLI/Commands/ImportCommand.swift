import GHCCore
import GHCStore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `ghc-api import`: an archive into the history database, the daily files, or a running server.
enum ImportCommand {
    /// The `import` command: its flags, argument, examples and handler.
    static let spec = CommandSpec(
        "import",
        summary: "Read a JSONL archive (gzip or plain) into the request history, the daily files or a running server",
        discussion:
            "Lines of this version's and ghc-api 1.0.31's exports are accepted. By default the records go into the request history (<config dir>/requests.db), where the dashboard and its search find them; a running serve may keep writing beside the import. Records already present (same id) are skipped; a bad line is reported with its number and never stops the rest. An archive that inflates past --max-size is refused.",
        flags: [
            .option("server", .text("URL"), "Send the records to a running server (http://127.0.0.1:8313)"),
            .toggle("into-daily-files", "Append the records to the daily files by their day instead of the history"),
            .option(
                "max-size",
                .integer("BYTES", 1...Int.max),
                "Most bytes the archive may decompress to (with --server, the server's limit)",
                default: "4 GiB"
            ),
            .option(
                "max-line-size",
                .integer("BYTES", 1...Int.max),
                "Longest line read; longer ones are reported and skipped",
                default: "64 MiB"
            ),
        ],
        positionals: [PositionalSpec("ARCHIVE", "The archive; - for standard input")],
        examples: [
            CommandExample("import day.jsonl.gz", "Add a day of records from another machine to the history"),
            CommandExample("import day.jsonl.gz --into-daily-files", "Append them to the daily files instead"),
            CommandExample("import day.jsonl.gz --server http://127.0.0.1:8313", "Show them in a running dashboard"),
        ],
        handler: run
    )

    /// Sends the archive to a running server, or adds its records not yet present to the history or the daily files;
    /// exits 1 if any line was bad.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        if arguments.has("server") && arguments.has("into-daily-files") {
            throw UsageError.conflict("--server and --into-daily-files cannot be used together", path: arguments.path)
        }
        let loaded = try LoadedConfig.load(arguments, context)
        let path = arguments.positional(0) ?? "-"
        let maxSize = arguments.integer("max-size") ?? Archive.defaultDecompressedLimit
        let maxLine = arguments.integer("max-line-size") ?? Archive.defaultMaxLineBytes
        if let server = arguments.value("server") {
            let report = try await ServerArchive.upload(file: path, server: server, config: loaded.config, context: context)
            context.stdout.line(
                "Imported \(report["imported"]?.intValue ?? 0), \(report["duplicates"]?.intValue ?? 0) duplicate(s), \(report["total_errors"]?.intValue ?? 0) bad line(s) into \(server)"
            )
            for error in report["errors"]?.arrayValue ?? [] { context.stderr.line("ghc-api: \(error.stringValue ?? "")") }
            return (report["total_errors"]?.intValue ?? 0) > 0 ? .failure : .success
        }
        if !arguments.has("into-daily-files") {
            return try await importIntoHistory(path, database: loaded.location.historyDatabase, maxSize: maxSize, maxLine: maxLine, context)
        }
        let files = DailyFiles(directory: loaded.location.requestsDirectory)
        var known = Set<String>()
        for file in files.files() {
            let reader = try ArchiveReader(path: file, maxDecompressedBytes: Archive.defaultDecompressedLimit)
            _ = try Archive.read(from: reader, bodyLimit: 1) { record in
                known.insert(record.id)
                return true
            }
        }
        let reader = try ArchiveReader(path: path, maxDecompressedBytes: maxSize, maxLineBytes: maxLine)
        let limit = loaded.config.cacheMaxRequestSize
        let progress = Progress(context: context, verb: "imported")
        var imported = 0
        let report = try Archive.read(from: reader, bodyLimit: 0) { record in
            guard known.insert(record.id).inserted else { return false }
            try files.append(record.line(limit: limit), day: DailyFiles.day(of: Date(timeIntervalSince1970: record.timestamp)))
            imported += 1
            progress.tick(imported)
            return true
        }
        progress.done()
        for entry in report.bad { context.stderr.line("ghc-api: \(path): line \(entry.line): \(entry.reason) (skipped)") }
        context.stdout.line(
            "Imported \(report.imported), \(report.duplicates) duplicate(s), \(report.bad.count) bad line(s) into \(files.directory)"
        )
        return report.bad.isEmpty ? .success : .failure
    }
}

extension ImportCommand {
    /// Adds the archive's records to the history database, in transactions of 64 (duplicates by id are skipped).
    static func importIntoHistory(
        _ path: String,
        database: String,
        maxSize: Int,
        maxLine: Int,
        _ context: CommandContext
    ) async throws -> ExitCode {
        let reader = try ArchiveReader(path: path, maxDecompressedBytes: maxSize, maxLineBytes: maxLine)
        let history = try await HistoryAccess.open(database)
        let progress = Progress(context: context, verb: "imported")
        let report: ImportReport
        var read = 0
        do {
            // Bodies are kept whole (a limit of 0): the history holds what the archive has.
            report = try await Archive.read(from: reader, bodyLimit: 0, batchSize: 64) { batch in
                let inserted = try await history.insert(batch).count
                read += batch.count
                progress.tick(read)
                return inserted
            }
        } catch {
            await history.close()
            throw error
        }
        await history.close()
        progress.done()
        for entry in report.bad { context.stderr.line("ghc-api: \(path): line \(entry.line): \(entry.reason) (skipped)") }
        context.stdout.line(
            "Imported \(report.imported), \(report.duplicates) duplicate(s), \(report.bad.count) bad line(s) into \(database)"
        )
        return report.bad.isEmpty ? .success : .failure
    }
}
