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

    /// Writes the lines of what grew since the last write; returns the file written, if any line was.
    @discardableResult
    package func flush(now: Date = Date()) -> String? {
        let current = counters.snapshot
        let lines = last.withLock { state in
            defer { state.snapshot = current }
            return UsageLine.deltas(from: state.snapshot, to: current, at: Int(now.timeIntervalSince1970))
        }
        guard !lines.isEmpty else { return nil }
        if let remote = oneDriveFile() {
            do {
                for line in lines { try UsageFile.append(line.bytes, to: remote) }
                last.withLock { $0.warned = false }
                return remote
            } catch {
                let first = last.withLock { state in
                    defer { state.warned = true }
                    return !state.warned
                }
                if first { logger.warning("token usage: cannot write \(remote) (\(error)); writing to \(localFile) until it can") }
            }
        }
        do {
            for line in lines { try UsageFile.append(line.bytes, to: localFile) }
            return localFile
        } catch {
            logger.warning("token usage: cannot write \(localFile): \(error); \(lines.count) line(s) lost")
            return nil
        }
    }
}
