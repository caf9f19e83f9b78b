import GHCCore

/// The cross-machine overview of `GET /api/config-manager/token-usage` (ghc-api 1.0.31's shape) and `ghc-api usage`.
package struct UsageOverview: Sendable {
    /// The entries in the window that pass the filters.
    package let entries: [UsageHistory.Entry]
    /// Every machine read.
    package let machines: [String]
    /// Every user in the window, before the user filter.
    package let users: [String]
    /// The window.
    package let window: UsageWindow
    /// The user filter.
    package let user: String?
    /// When it was made.
    package let now: Double

    /// The overview of a history in a window, for one machine and one user when given.
    package init(_ history: UsageHistory, window: UsageWindow, machine: String? = nil, user: String? = nil, now: Double) {
        let inWindow = history.entries.filter { entry in
            Double(entry.timestamp) >= (window.since ?? -.infinity) && Double(entry.timestamp) <= (window.until ?? .infinity)
                && (machine == nil || entry.machine == machine)
        }
        users = Array(Set(inWindow.map(\.user))).sorted { $0.lowercased() < $1.lowercased() }
        entries = inWindow.filter { user == nil || $0.user == user }
        machines = history.machines
        self.window = window
        self.user = user
        self.now = now
    }

    /// Totals grouped by a key of each entry, sorted by the key.
    package func grouped(by key: (UsageHistory.Entry) -> String) -> [(key: String, totals: UsageTotals)] {
        var groups: [String: UsageTotals] = [:]
        for entry in entries { groups[key(entry), default: UsageTotals()] += entry.totals }
        return groups.keys.sorted { $0.lowercased() < $1.lowercased() }.map { ($0, groups[$0] ?? UsageTotals()) }
    }

    /// Everything summed.
    package var totals: UsageTotals {
        entries.reduce(into: UsageTotals()) { $0 += $1.totals }
    }

    /// The bucket size: a minute for spans under two hours, an hour under three days, else a day.
    package var granularity: (name: String, seconds: Int) {
        let start = window.since ?? entries.first.map { Double($0.timestamp) } ?? now
        let span = (window.until ?? now) - start
        return span < 7200 ? ("minute", 60) : span < 259_200 ? ("hour", 3600) : ("day", 86_400)
    }

    /// Bucket starts (aligned to UTC) from the window's start to its end, and total tokens per bucket by a key.
    package func series(by key: (UsageHistory.Entry) -> String) -> (times: [Int], values: [String: [Int]]) {
        let size = granularity.seconds
        let contributing = entries.filter { $0.totals.tokens > 0 }
        guard let earliest = window.since.map({ Int($0) }) ?? contributing.first?.timestamp else { return ([], [:]) }
        let first = earliest / size * size
        let last = Int(window.until ?? now) / size * size
        guard last >= first else { return ([], [:]) }
        let times = Array(stride(from: first, through: last, by: size))
        var values: [String: [Int]] = [:]
        for entry in contributing {
            let index = (entry.timestamp / size * size - first) / size
            guard index >= 0, index < times.count else { continue }
            values[key(entry), default: Array(repeating: 0, count: times.count)][index] += entry.totals.tokens
        }
        return (times, values)
    }

    /// The document of `GET /api/config-manager/token-usage`.
    package var json: JSONValue {
        func row(_ pairs: [(String, JSONValue)], _ totals: UsageTotals) -> JSONValue {
            .object(Dictionary(uniqueKeysWithValues: pairs + totals.pairs))
        }
        var rows: [JSONValue] = []
        for machine in machines {
            for group in grouped(by: { $0.machine == machine ? $0.model : "" }) where !group.key.isEmpty {
                rows.append(row([("machine", .string(machine)), ("model_id", .string(group.key))], group.totals))
            }
        }
        var userRows: [JSONValue] = []
        for group in grouped(by: { "\($0.machine)\u{1}\($0.user)\u{1}\($0.model)" }) {
            let parts = group.key.split(separator: "\u{1}", omittingEmptySubsequences: false).map(String.init)
            userRows.append(
                row([("machine", .string(parts[0])), ("user_id", .string(parts[1])), ("model_id", .string(parts[2]))], group.totals)
            )
        }
        let (times, byMachine) = series(by: \.machine)
        return [
            "range": .string(window.range), "machines": .array(machines.map(JSONValue.string)),
            "users": .array(users.map(JSONValue.string)),
            "user_filter": user.map(JSONValue.string) ?? .null, "rows": .array(rows), "user_rows": .array(userRows),
            "totals": .object(Dictionary(uniqueKeysWithValues: totals.pairs)),
            "timeseries": [
                "granularity": .string(times.isEmpty ? "hour" : granularity.name), "times": .array(times.map(JSONValue.int)),
                "by_machine": .object(byMachine.mapValues { .array($0.map(JSONValue.int)) }),
            ],
        ]
    }
}
