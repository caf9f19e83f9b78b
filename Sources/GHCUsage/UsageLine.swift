import GHCCore

/// One line of `token_usage.jl`: one user's per-model usage over one interval, in ghc-api 1.0.31's format.
package struct UsageLine: Sendable, Equatable {
    /// When the interval ended, in seconds since 1970 (the same on every line of one write).
    package var timestamp: Int
    /// The user.
    package var user: String
    /// Usage by model.
    package var models: [(model: String, totals: UsageTotals)]

    /// Creates a line.
    package init(timestamp: Int, user: String, models: [(model: String, totals: UsageTotals)]) {
        self.timestamp = timestamp
        self.user = user
        self.models = models
    }

    /// Lines equal by their fields.
    package static func == (lhs: UsageLine, rhs: UsageLine) -> Bool {
        lhs.timestamp == rhs.timestamp && lhs.user == rhs.user && lhs.models.map(\.model) == rhs.models.map(\.model)
            && lhs.models.map(\.totals) == rhs.models.map(\.totals)
    }

    /// The lines of what grew from `earlier` to `now`: one per user, models with nothing new left out, and no line for
    /// a user with nothing new.
    package static func deltas(
        from earlier: [UsageCounters.Key: UsageTotals],
        to now: [UsageCounters.Key: UsageTotals],
        at timestamp: Int
    )
        -> [UsageLine]
    {
        var byUser: [String: [(String, UsageTotals)]] = [:]
        for key in Set(earlier.keys).union(now.keys).sorted() {
            let delta = (now[key] ?? UsageTotals()).since(earlier[key] ?? UsageTotals())
            if !delta.isZero { byUser[key.user, default: []].append((key.model, delta)) }
        }
        return byUser.keys.sorted().map { user in
            UsageLine(timestamp: timestamp, user: user, models: (byUser[user] ?? []).map { (model: $0.0, totals: $0.1) })
        }
    }

    /// The line, with the original's key order and spacing, ending in a newline.
    package var bytes: [UInt8] {
        let models = self.models.map { entry in
            "{"
                + ([("model", JSONValue.string(entry.model))] + entry.totals.pairs).map { "\(quoted($0.0)): \(render($0.1))" }
                .joined(separator: ", ") + "}"
        }
        let text = "{\"timestamp\": \(timestamp), \"user_id\": \(quoted(user)), \"models\": [\(models.joined(separator: ", "))]}\n"
        return Array(text.utf8)
    }

    /// Reads a line of any form the original wrote: `model_id` for `model`, `bytes_*` for `data_*`, no `user_id`
    /// (anonymous), missing counters (0); `nil` for a line that is not one.
    package init?(line: [UInt8]) {
        guard let json = try? JSONValue.parse(line), case .object = json else { return nil }
        let stamp = json["timestamp"]?.intValue ?? json["timestamp"]?.doubleValue.flatMap { $0.isFinite && abs($0) < 1e12 ? Int($0) : nil }
        // Between 2000 and 2100: a line from anywhere else is not one (and would make a chart of 10^14 buckets).
        guard let stamp, (946_684_800...4_102_444_800).contains(stamp), let entries = json["models"]?.arrayValue else { return nil }
        timestamp = stamp
        user = json["user_id"]?.stringValue ?? "anonymous"
        models = entries.compactMap { entry in
            guard let model = entry["model"]?.stringValue ?? entry["model_id"]?.stringValue else { return nil }
            return (model, UsageTotals(entry: entry))
        }
    }

    private func quoted(_ text: String) -> String {
        var output: [UInt8] = []
        JSONWriter.writeString(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private func render(_ value: JSONValue) -> String {
        String(decoding: JSONWriter.bytes(value), as: UTF8.self)
    }
}
