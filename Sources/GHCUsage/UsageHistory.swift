import GHCCore
import GHCSync

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Usage read back from every machine's `token_usage.jl`, with the original's reader rules.
package struct UsageHistory: Sendable {
    /// One model's usage of one user on one machine over one interval.
    package struct Entry: Sendable {
        /// The machine (its folder under `agents/`, or this machine for the local file).
        package var machine: String
        /// The user.
        package var user: String
        /// The model.
        package var model: String
        /// When the interval ended.
        package var timestamp: Int
        /// The counts.
        package var totals: UsageTotals

        /// Creates an entry.
        package init(machine: String, user: String, model: String, timestamp: Int, totals: UsageTotals) {
            self.machine = machine
            self.user = user
            self.model = model
            self.timestamp = timestamp
            self.totals = totals
        }
    }

    /// The entries, oldest first.
    package var entries: [Entry]
    /// Every machine whose file was read.
    package var machines: [String]
    /// Lines that were not usage lines, by file.
    package var badLines: [(path: String, count: Int)]

    /// The usage this machine can see: every machine's file under OneDrive when sync is on (`flag`: `--onedrive`),
    /// and its own `localFile`.
    package static func load(
        config: GHCConfig,
        configFile: String,
        localFile: String,
        flag: String? = nil,
        sync: SyncEnvironment
    )
        -> UsageHistory
    {
        let session = try? SyncSetup.session(config: config, configFile: configFile, flag: flag, sync: sync)
        let machine = SyncSetup.machineName(config: config, sync: sync)
        return UsageHistory(sources: sources(session: session, localFile: localFile, localMachine: machine))
    }

    /// The files to read: every `agents/<machine>/token_usage.jl` under OneDrive, and the local file (labelled with
    /// this machine's name), which holds what was written while sync was off or OneDrive offline.
    static func sources(session: SyncSession?, localFile: String, localMachine: String) -> [(machine: String, path: String)] {
        var found: [(String, String)] = []
        if let session, let names = try? FileManager.default.contentsOfDirectory(atPath: session.agents) {
            for name in names.sorted(by: { $0.lowercased() < $1.lowercased() }) {
                let path = "\(session.agents)/\(name)/\(UsageFile.name)"
                if FileStore.exists(path) { found.append((name, path)) }
            }
        }
        if FileStore.exists(localFile) { found.append((localMachine, localFile)) }
        return found
    }

    /// Reads the files; bad lines are counted, never fatal.
    package init(sources: [(machine: String, path: String)]) {
        var entries: [Entry] = []
        var bad: [(String, Int)] = []
        for source in sources {
            guard let data = FileManager.default.contents(atPath: source.path) else { continue }
            var count = 0
            for line in data.split(separator: 0x0A) where !line.allSatisfy({ $0 == 0x20 || $0 == 0x0D }) {
                guard let parsed = UsageLine(line: Array(line)) else {
                    count += 1
                    continue
                }
                for model in parsed.models {
                    entries.append(
                        Entry(
                            machine: source.machine,
                            user: parsed.user,
                            model: model.model,
                            timestamp: parsed.timestamp,
                            totals: model.totals
                        )
                    )
                }
            }
            if count > 0 { bad.append((source.path, count)) }
        }
        self.entries = entries.sorted { $0.timestamp < $1.timestamp }
        machines = Array(Set(sources.map(\.machine))).sorted { $0.lowercased() < $1.lowercased() }
        badLines = bad
    }
}

/// A time window of the usage views: `hour`, `day`, `week`, `month` (30 days) or `all`, and optional bounds.
package struct UsageWindow: Sendable, Equatable {
    /// The range's name.
    package var range: String
    /// The earliest time, in seconds since 1970.
    package var since: Double?
    /// The latest time.
    package var until: Double?

    /// The ranges and their lengths.
    package static let ranges: [String: Double] = ["hour": 3600, "day": 86_400, "week": 604_800, "month": 2_592_000, "all": 0]

    /// A window by range name (with `since`/`until` narrowing it); `nil` for an unknown range.
    package init?(range: String, since: Double? = nil, until: Double? = nil, now: Double) {
        guard let length = Self.ranges[range] else { return nil }
        self.range = range
        self.since = [since, length > 0 ? now - length : nil].compactMap { $0 }.max()
        self.until = until
    }
}
