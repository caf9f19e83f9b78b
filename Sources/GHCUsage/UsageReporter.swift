import GHCCore
import GHCSync
import Logging
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes what the counters gained since the last write, one line per user, to this machine's `token_usage.jl`: in
/// its OneDrive folder when sync is on (falling back to the config folder, with one note, while OneDrive cannot be
/// written), else in the config folder.
package final class UsageReporter: Sendable {
    private let counters: UsageCounters
    private let localFile: String
    private let oneDriveFile: @Sendable () -> String?
    private let logger: Logger
    private let last: Mutex<(snapshot: [UsageCounters.Key: UsageTotals], warned: Bool)>

    /// Creates a reporter starting from the counters as they are now.
    /// - Parameter oneDriveFile: the machine's file under OneDrive, asked at each write (`nil` when sync is off).
    package init(counters: UsageCounters, localFile: String, oneDriveFile: @escaping @Sendable () -> String?, logger: Logger) {
        self.counters = counters
        self.localFile = localFile
        self.oneDriveFile = oneDriveFile
        self.logger = logger
        last = Mutex((counters.snapshot, false))
    }

    /// Writes the lines of what grew since the last write; returns the file written, if any line was. What could not be
    /// written anywhere stays in the counters' difference and goes out with the next write.
    @discardableResult
    package func flush(now: Date = Date()) -> String? {
        let current = counters.snapshot
        let earlier = last.withLock { $0.snapshot }
        let lines = UsageLine.deltas(from: earlier, to: current, at: Int(now.timeIntervalSince1970))
        guard !lines.isEmpty else { return nil }
        var pending = lines[...]
        var written: String?
        if let remote = oneDriveFile() {
            while let line = pending.first, (try? UsageFile.append(line.bytes, to: remote)) != nil { pending = pending.dropFirst() }
            if pending.isEmpty {
                last.withLock { $0.warned = false }
                written = remote
            } else {
                let first = last.withLock { state in
                    defer { state.warned = true }
                    return !state.warned
                }
                if first { logger.warning("token usage: cannot write \(remote); writing to \(localFile) until it can") }
            }
        }
        // Only the lines OneDrive did not take: none is written twice.
        while let line = pending.first, (try? UsageFile.append(line.bytes, to: localFile)) != nil {
            pending = pending.dropFirst()
            written = localFile
        }
        if !pending.isEmpty { logger.warning("token usage: cannot write \(localFile); \(pending.count) line(s) wait for the next write") }
        let unwritten = Set(pending.map(\.user))
        last.withLock { state in
            // Users whose line was written advance; the others keep their earlier counts, so nothing is lost.
            for (key, value) in current where !unwritten.contains(key.user) { state.snapshot[key] = value }
        }
        return written
    }
}
