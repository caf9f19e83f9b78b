import GHCCore
import GHCTestSupport
import GHCUpstream
import GHCUsage
import Logging
import Testing

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

@Suite struct UsageTests {
    static func totals(requests: Int, input: Int, output: Int, cacheRead: Int = 0, sent: Int = 0) -> UsageTotals {
        var totals = UsageTotals()
        totals.requests = requests
        totals.input = input
        totals.output = output
        totals.cacheRead = cacheRead
        totals.sent = sent
        return totals
    }

    @Test func aLineHoldsWhatGrewPerUserAndSkipsWhatDidNot() {
        let counters = UsageCounters()
        counters.count(user: "acct-1", model: "claude-opus-5.5", Self.totals(requests: 1, input: 100, output: 10, cacheRead: 900))
        counters.count(user: "scripty", model: "gpt-4.1", Self.totals(requests: 1, input: 20, output: 3))
        let first = counters.snapshot
        let lines = UsageLine.deltas(from: [:], to: first, at: 1_800_000_000)
        #expect(lines.map(\.user) == ["acct-1", "scripty"])
        #expect(lines.first?.models.first?.totals.tokens == 1010)
        counters.count(user: "acct-1", model: "claude-opus-5.5", Self.totals(requests: 2, input: 50, output: 5))
        let second = UsageLine.deltas(from: first, to: counters.snapshot, at: 1_800_000_300)
        #expect(second.count == 1, "a user with nothing new gets no line")
        #expect(second.first?.models.first?.totals == Self.totals(requests: 2, input: 50, output: 5))
        #expect(UsageLine.deltas(from: counters.snapshot, to: counters.snapshot, at: 1).isEmpty, "nothing new: nothing written")
    }

    @Test func linesAreWrittenInTheOriginalsFormAndReadBack() throws {
        let line = UsageLine(
            timestamp: 1_732_460_400,
            user: "anonymous",
            models: [("claude-sonnet-5", Self.totals(requests: 3, input: 120, output: 640, cacheRead: 9000, sent: 48211))]
        )
        let text = String(decoding: line.bytes, as: UTF8.self)
        #expect(
            text
                == #"{"timestamp": 1732460400, "user_id": "anonymous", "models": [{"model": "claude-sonnet-5", "request_count": 3, "input_tokens": 120, "cache_creation_input_tokens": 0, "cache_read_input_tokens": 9000, "output_tokens": 640, "total_tokens": 9760, "data_sent": 48211, "data_received": 0, "total_data": 48211}]}"#
                + "\n"
        )
        #expect(UsageLine(line: line.bytes) == line)
    }

    @Test func theReaderAcceptsEveryFormTheOriginalWrote() throws {
        let directory = try TemporaryDirectory(prefix: "usage")
        defer { directory.remove() }
        let path = try directory.write(
            "token_usage.jl",
            [
                #"{"timestamp": 1732460400, "models": [{"model": "gpt-4o", "request_count": 1, "input_tokens": 10, "output_tokens": 5, "total_tokens": 15}]}"#,
                #"{"timestamp": 1732460700, "user_id": "u1", "models": [{"model_id": "claude-3", "request_count": 2, "input_tokens": 7, "cache_read_input_tokens": 100, "output_tokens": 3, "total_tokens": 10, "bytes_sent": 400, "bytes_received": 50}]}"#,
                "not json", #"{"models": []}"#, "",
                #"{"timestamp": -9000000000000000000, "models": [{"model": "x", "input_tokens": 1}]}"#,
                #"{"timestamp": 1732461000, "models": [{"model": "huge", "input_tokens": 5e18, "output_tokens": 9223372036854775807}]}"#,
            ].joined(separator: "\n")
        )
        let history = UsageHistory(sources: [("old_Win", path)])
        #expect(history.badLines.map(\.count) == [3], "a line from before 2000 is not one")
        #expect(history.entries.map(\.user) == ["anonymous", "u1", "anonymous"])
        #expect(history.entries.map(\.model) == ["gpt-4o", "claude-3", "huge"])
        #expect(history.entries.last?.totals.tokens == 2 << 40, "counters are capped, so sums cannot overflow")
        let overview = UsageOverview(history, window: try #require(UsageWindow(range: "all", now: 1_732_470_000)), now: 1_732_470_000)
        #expect(overview.totals.tokens > 2 << 40)
        let second = history.entries[1].totals
        #expect(second.tokens == 110, "total_tokens is recomputed: the stored 10 was input + output")
        #expect(second.data == 450, "bytes_* are read as data_*")
    }

    @Test func bucketsAreAlignedToUTCAndSizedByTheSpan() throws {
        let day: Int = 1_800_000_000 / 86_400 * 86_400
        let stamps: [Int] = [day + 3_617, day + 3_659, day + 7_300]
        let ten = Self.totals(requests: 1, input: 10, output: 0)
        let entries: [UsageHistory.Entry] = stamps.map {
            UsageHistory.Entry(machine: "m", user: "u", model: "x", timestamp: $0, totals: ten)
        }
        var history = UsageHistory(sources: [])
        history.entries = entries
        history.machines = ["m"]
        let now = Double(day + 7_400)
        let hour = UsageOverview(history, window: try #require(UsageWindow(range: "hour", now: now)), now: now)
        #expect(hour.granularity.name == "minute")
        let dayView = UsageOverview(history, window: try #require(UsageWindow(range: "day", now: now)), now: now)
        #expect(dayView.granularity.name == "hour")
        let (times, values) = dayView.series(by: \.machine)
        #expect(times.allSatisfy { $0 % 3_600 == 0 })
        #expect(values["m"]?[times.firstIndex(of: day + 3_600) ?? -1] == 20, "two entries in one UTC hour")
        #expect(values["m"]?[times.firstIndex(of: day + 7_200) ?? -1] == 10)
        let week = UsageOverview(history, window: try #require(UsageWindow(range: "week", now: now)), now: now)
        #expect(week.granularity.name == "day" && week.series(by: \.machine).times.allSatisfy { $0 % 86_400 == 0 })
        #expect(UsageWindow(range: "year", now: now) == nil)
    }

    @Test(arguments: ["limited", "unlimited", "none"])
    func quotasAreReadFromEveryShapeGitHubSends(kind: String) throws {
        var document: JSONValue = ["copilot_plan": "individual_pro", "quota_reset_date": "2027-01-01"]
        let unlimited: JSONValue = ["entitlement": 0, "remaining": 0, "percent_remaining": 100.0, "unlimited": true]
        switch kind {
        case "limited":
            document["quota_snapshots"] = [
                "chat": unlimited,
                "premium_interactions": [
                    "entitlement": 1500, "remaining": 1054, "quota_remaining": 1054.25, "percent_remaining": 70.28, "unlimited": false,
                    "overage_count": 2, "overage_permitted": true,
                ],
            ]
        case "unlimited": document["quota_snapshots"] = ["premium_interactions": unlimited, "chat": unlimited, "completions": unlimited]
        default: break
        }
        let quota = CopilotQuota(json: document)
        #expect(quota.plan == "individual_pro")
        let now = try Date("2026-12-02T08:00:00Z", strategy: .iso8601)
        #expect(quota.daysToReset(now: now) == 30)
        switch kind {
        case "limited":
            #expect(quota.snapshots.map(\.name) == ["premium_interactions", "chat"])
            #expect(quota.snapshots.first?.remaining == 1054.25 && quota.snapshots.first?.used == 445.75)
            #expect(quota.summary(now: now) == "Copilot individual_pro: 1054 of 1500 premium requests left until 2027-01-01 (30 days)")
        case "unlimited":
            #expect(quota.snapshots.allSatisfy(\.unlimited) && quota.summary(now: now).contains("unlimited premium requests"))
        default:
            #expect(quota.snapshots.isEmpty && quota.summary(now: now).contains("no premium request quota"))
        }
    }

    @Test func theReporterWritesWholeLinesAndFallsBackWhenOneDriveCannotBeWritten() throws {
        let directory = try TemporaryDirectory(prefix: "usage")
        defer { directory.remove() }
        try directory.write("blocked", "")
        let counters = UsageCounters()
        let local = directory.file("cfg/token_usage.jl")
        let reporter = UsageReporter(
            counters: counters,
            localFile: local,
            oneDriveFile: { directory.file("blocked/agents/m/token_usage.jl") },
            logger: Logger(label: "t")
        )
        #expect(reporter.flush() == nil, "nothing counted: nothing written")
        counters.count(user: "anonymous", model: "gpt-4.1", Self.totals(requests: 1, input: 5, output: 1))
        #expect(reporter.flush() == local)
        let lines = try #require(try FileStore.readText(local)).split(separator: "\n")
        #expect(lines.count == 1 && UsageLine(line: Array(lines[0].utf8)) != nil)
    }
}
