import GHCCore
import GHCStore
import GHCUpstream

/// `ghc-api export`: records from the daily files, an archive, or a running server, into an archive.
enum ExportCommand {
    /// The `export` command: its flags, examples and handler.
    static let spec = CommandSpec(
        "export",
        summary: "Write request records to a JSONL archive (gzip when the name ends in .gz)",
        discussion:
            "Reads the request history (<config dir>/requests.db) by default, with the filters run as SQL; the daily request files (<config dir>/requests/YYYY-MM-DD.jl) with --from-daily, an archive with --from, or a running server's records with --server. The output is ghc-api 1.0.31's export format, one record a line, oldest first.",
        flags: [
            .option("output", short: "o", .path("FILE"), "The archive to write; - for standard output"),
            .toggle("from-daily", "Read the daily request files instead of the history database"),
            .option("from", .path("FILE"), "Read this archive or daily file instead of the history database"),
            .option("server", .text("URL"), "Read the records of a running server (http://127.0.0.1:8313)"),
            .option("since", .text("DATE"), "Only records from this day (YYYY-MM-DD) or time (ISO-8601) on"),
            .option("until", .text("DATE"), "Only records up to this day (inclusive) or time"),
            .option("model", .text("MODEL"), "Only records of this model (client or Copilot name)"),
            .option("status", .text("STATUS"), "Only records with this status: 200, 4xx, ok or error"),
            .option(
                "max-line-size",
                .integer("BYTES", 1...Int.max),
                "Longest line read; longer ones are reported and skipped",
                default: "64 MiB"
            ),
        ],
        examples: [
            CommandExample("export --since 2026-11-24 --until 2026-11-24 -o day.jsonl.gz", "One day of history, gzip-compressed"),
            CommandExample("export --from-daily --model gpt-4.1 -o gpt.jsonl", "One model's records from the daily files"),
            CommandExample("export --server http://127.0.0.1:8313 --status error -o -", "A running server's failed requests to stdout"),
        ],
        handler: run
    )

    /// Writes the records that pass the filter, from the daily files, an archive or a server, to the output archive; bad lines are reported and skipped.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        guard let output = arguments.value("output") else { throw UsageError.missingArgument("-o/--output FILE", path: arguments.path) }
        let chosen = ["from", "server", "from-daily"].filter { arguments.has($0) }
        if chosen.count > 1 {
            throw UsageError.conflict(
                chosen.map { "--" + $0 }.joined(separator: " and ") + " cannot be used together",
                path: arguments.path
            )
        }
        let filter = try RecordFilter(arguments)
        let loaded = try LoadedConfig.load(arguments, context)
        let limit = loaded.config.cacheMaxRequestSize
        let progress = Progress(context: context, verb: "exported")
        let database = loaded.location.historyDatabase
        if chosen.isEmpty, FileStore.exists(database) {
            if FileStore.sameFile(database, output) {
                throw CommandFailure("the output \(output) is the history database; write the archive somewhere else")
            }
            return try await exportHistory(database, filter: filter, output: output, limit: limit, progress: progress, context: context)
        }
        if chosen.isEmpty { context.stderr.line("ghc-api: no request history at \(database) yet; reading the daily request files") }
        var sources: [String]
        var temporary: String?
        if let server = arguments.value("server") {
            temporary = try await ServerArchive.download(server: server, config: loaded.config, context: context)
            sources = [temporary ?? ""]
        } else if let from = arguments.value("from") {
            sources = [from]
        } else {
            sources = DailyFiles(directory: loaded.location.requestsDirectory).files(since: filter.firstDay, until: filter.lastDay)
        }
        defer { if let temporary { _ = try? FileStore.remove(temporary) } }
        if let input = sources.first(where: { FileStore.sameFile($0, output) }) {
            throw CommandFailure("the output \(output) is also an input (\(input)); write the archive somewhere else")
        }
        let maxLine = arguments.integer("max-line-size") ?? Archive.defaultMaxLineBytes
        // Written beside the output and renamed into place at the end: a failure leaves any earlier file as it was.
        let writer = try ArchiveWriter(path: output, gzip: output.hasSuffix(".gz"))
        var written = 0
        var bad = 0
        for source in sources {
            let reader = try ArchiveReader(path: source, maxDecompressedBytes: Archive.defaultDecompressedLimit, maxLineBytes: maxLine)
            let report = try Archive.read(from: reader, bodyLimit: 0) { record in
                guard filter.accepts(record) else { return true }
                try writer.write(record.line(limit: limit))
                written += 1
                progress.tick(written)
                return true
            }
            for entry in report.bad { context.stderr.line("ghc-api: \(source): line \(entry.line): \(entry.reason) (skipped)") }
            bad += report.bad.count
        }
        try writer.close()
        progress.done()
        let target = output == "-" ? "standard output" : output
        context.stderr.line(
            "Exported \(written) record(s) from \(sources.count) file(s) to \(target)" + (bad > 0 ? "; \(bad) bad line(s) skipped" : "")
        )
        return .success
    }
}

extension ExportCommand {
    /// Writes the history database's records that pass the filter (run as SQL) to the output archive, oldest first.
    static func exportHistory(
        _ path: String,
        filter: RecordFilter,
        output: String,
        limit: Int,
        progress: Progress,
        context: CommandContext
    ) async throws -> ExitCode {
        let database = try await HistoryAccess.open(path)
        let writer = try ArchiveWriter(path: output, gzip: output.hasSuffix(".gz"))
        var written = 0
        do {
            try await database.each(filter.filter) { records in
                for record in records {
                    try writer.write(record.line(limit: limit))
                    written += 1
                    progress.tick(written)
                }
            }
        } catch {
            await database.close()
            throw error
        }
        await database.close()
        try writer.close()
        progress.done()
        context.stderr.line("Exported \(written) record(s) from \(path) to \(output == "-" ? "standard output" : output)")
        return .success
    }
}

/// A count shown on a terminal while long work runs.
struct Progress {
    /// Where the count is written (standard error).
    let context: CommandContext
    /// The word after the count, such as `exported`.
    let verb: String

    /// Shows the count every 500 records when standard error is a terminal.
    func tick(_ count: Int) {
        if context.stderrIsTerminal, count % 500 == 0 { context.stderr.write("\r\(count) record(s) \(verb)…") }
    }

    /// Clears the count from the terminal line.
    func done() {
        if context.stderrIsTerminal { context.stderr.write("\r\u{1B}[K") }
    }
}
