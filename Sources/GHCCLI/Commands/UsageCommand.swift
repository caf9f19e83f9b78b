import GHCCore
import GHCSync
import GHCUsage

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `ghc-api usage`: token usage per model, machine, user or day, over every machine's `token_usage.jl`; with
/// `--quota`, the Copilot plan's quotas.
enum UsageCommand {
    /// The `usage` command.
    static let spec = CommandSpec(
        "usage",
        summary: "Show token usage per model, machine, user or day across machines, or the Copilot quota",
        discussion:
            "Reads every machine's token_usage.jl under OneDrive's .ghc-api/agents (when sync is on) and this machine's <config dir>/token_usage.jl, which serve appends to every usage_report_interval seconds and on shutdown. Lines of ghc-api 1.0.31 are read too.",
        flags: [
            .option("range", .choice(["hour", "day", "week", "month", "all"]), "The window, back from now", default: "day"),
            .option("since", .text("TIME"), "Only usage from this day (YYYY-MM-DD, UTC) or ISO-8601 time on"),
            .option("until", .text("TIME"), "Only usage up to this day (inclusive) or time"),
            .option("by", .choice(["model", "machine", "user", "day"]), "Group the table", default: "model"),
            .option("machine", .text("NAME"), "Only this machine"),
            .option("user", .text("USER"), "Only this user"),
            .option("onedrive", .path("DIR"), "The OneDrive folder (else onedrive_path, else detected)"),
            .toggle("quota", "Show the Copilot plan's quotas instead: chat, completions and premium requests"),
            .toggle("json", "Print JSON (the dashboard's overview, plus the groups)"),
        ],
        examples: [
            CommandExample("usage --by machine", "What each machine used in the last 24 hours"),
            CommandExample("usage --range month --by day", "A month, day by day, with a chart"),
            CommandExample("usage --quota", "Premium requests left this month"),
        ],
        handler: run
    )

    /// Prints the usage table (and chart), or the quota.
    static func run(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        if arguments.has("quota") { return try await QuotaReport.run(arguments, context, loaded: loaded) }
        let now = context.now().timeIntervalSince1970
        let range = arguments.value("range") ?? "day"
        // Days in UTC, as the usage buckets are.
        let since = try TimeArgument.parse(arguments.value("since"), flag: "--since", endOfDay: false, zone: nil, path: arguments.path)
        let until = try TimeArgument.parse(arguments.value("until"), flag: "--until", endOfDay: true, zone: nil, path: arguments.path)
        guard let window = UsageWindow(range: since != nil || until != nil ? "all" : range, since: since, until: until, now: now) else {
            throw UsageError.invalidValue(flag: "--range", value: range, expected: "hour, day, week, month or all", path: arguments.path)
        }
        let history = UsageHistory.load(
            config: loaded.config,
            configFile: loaded.location.configFile,
            localFile: loaded.location.directory + "/" + UsageFile.name,
            flag: arguments.value("onedrive"),
            sync: SyncEnvironment(environment: context.environment, home: context.home)
        )
        for bad in history.badLines { context.stderr.line("ghc-api: \(bad.count) bad line(s) in \(bad.path) skipped") }
        let overview = UsageOverview(history, window: window, machine: arguments.value("machine"), user: arguments.value("user"), now: now)
        let by = arguments.value("by") ?? "model"
        let groups = overview.grouped(by: key(by))
        if arguments.has("json") {
            var json = overview.json
            json["by"] = .string(by)
            json["groups"] = .array(groups.map { .object(Dictionary(uniqueKeysWithValues: [("key", .string($0.key))] + $0.totals.pairs)) })
            context.stdout.line(json.jsonString(pretty: true))
            return .success
        }
        UsageTable.print(groups: groups, total: overview.totals, heading: by, context: context)
        if by == "day" || ["week", "month", "all"].contains(window.range) {
            UsageChart.print(overview.grouped(by: key("day")), context: context)
        }
        if history.machines.isEmpty {
            context.stderr.line("ghc-api: no token_usage.jl yet; serve writes one every usage_report_interval seconds")
        }
        return .success
    }

    /// The grouping of `--by`.
    static func key(_ by: String) -> (UsageHistory.Entry) -> String {
        switch by {
        case "machine": { $0.machine }
        case "user": { $0.user }
        case "day": { Timestamp.iso8601(Date(timeIntervalSince1970: Double($0.timestamp))).prefix(10).description }
        default: { $0.model }
        }
    }
}

/// The aligned usage table with its totals row.
enum UsageTable {
    /// Prints the groups and the total.
    static func print(groups: [(key: String, totals: UsageTotals)], total: UsageTotals, heading: String, context: CommandContext) {
        let header = [heading, "requests", "input", "cache read", "cache write", "output", "total tokens", "data"]
        let rows = groups.map { [$0.key] + cells($0.totals) } + [["total"] + cells(total)]
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let pad = String(repeating: " ", count: widths[index] - cell.count)
                return index == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        context.stdout.line(context.style.bold(line(header)))
        for row in rows.dropLast() { context.stdout.line(line(row)) }
        context.stdout.line(String(repeating: "─", count: widths.reduce(0, +) + 2 * (widths.count - 1)))
        context.stdout.line(context.style.bold(line(rows.last ?? [])))
    }

    private static func cells(_ totals: UsageTotals) -> [String] {
        [totals.requests, totals.input, totals.cacheRead, totals.cacheCreation, totals.output, totals.tokens].map(grouped)
            + [bytes(totals.data)]
    }

    /// `12,345`.
    static func grouped(_ value: Int) -> String {
        let digits = String(value)
        var output = ""
        for (index, character) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { output.append(",") }
            output.append(character)
        }
        return output
    }

    /// `1.2 MB`.
    static func bytes(_ value: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var amount = Double(value)
        var unit = 0
        while amount >= 1024, unit < units.count - 1 {
            amount /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : "\((amount * 10).rounded() / 10) \(units[unit])"
    }
}

/// A bar per day of total tokens, drawn with Unicode blocks.
enum UsageChart {
    /// Prints the chart (nothing when there is no usage).
    static func print(_ days: [(key: String, totals: UsageTotals)], context: CommandContext) {
        guard let top = days.map(\.totals.tokens).max(), top > 0 else { return }
        let blocks = ["", "▏", "▎", "▍", "▌", "▋", "▊", "▉"]
        context.stdout.line("")
        context.stdout.line("Total tokens by day (UTC)")
        for day in days {
            let eighths = day.totals.tokens * 40 * 8 / top
            let bar = String(repeating: "█", count: eighths / 8) + blocks[eighths % 8]
            context.stdout.line("\(day.key)  \(bar) \(UsageTable.grouped(day.totals.tokens))")
        }
    }
}
