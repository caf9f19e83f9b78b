import GHCCore
import Synchronization

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// The daily request files `<config_dir>/requests/YYYY-MM-DD.jl` (local date), one record a line, in
/// ghc-api 1.0.31's line format.
package struct DailyFiles: Sendable {
    /// The `requests` folder.
    package let directory: String

    /// Creates access to a folder.
    package init(directory: String) {
        self.directory = directory
    }

    /// `YYYY-MM-DD` of a moment, in the local time zone.
    package static func day(of date: Date) -> String {
        Timestamp.localDay(date)
    }

    /// The day files present, oldest first, optionally limited to `since...until` (inclusive `YYYY-MM-DD`).
    package func files(since: String? = nil, until: String? = nil) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { name in
            guard name.hasSuffix(".jl"), name.count == 13 else { return false }
            let day = String(name.prefix(10))
            return (since.map { day >= $0 } ?? true) && (until.map { day <= $0 } ?? true)
        }.sorted().map { directory + "/" + $0 }
    }

    /// Appends whole lines to a day's file (created 0600 with its folder 0700 when missing). A write that fails
    /// part way (a full disk) is cut back off, so the file never holds half a line for the next one to join.
    package func append(_ lines: [UInt8], day: String) throws(FileStoreError) {
        try FileStore.ensureDirectory(directory)
        let path = "\(directory)/\(day).jl"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw .cannotWrite(path, String(cString: strerror(errno))) }
        defer { close(descriptor) }
        let end = lseek(descriptor, 0, SEEK_END)
        if let failure = Descriptor.writeAll(descriptor, lines) {
            if end >= 0 { _ = ftruncate(descriptor, end) }
            throw .cannotWrite(path, Descriptor.reason(failure))
        }
    }
}

/// Appends finished records to the daily files off the request path: `enqueue` never blocks; `run` writes
/// until `finish` is called, then drains what is left (so a shutdown loses nothing that was queued).
/// The queue is bounded by bytes: when the disk cannot keep up, new lines are dropped and counted, never the
/// process's memory.
package final class DailyFileWriter: Sendable {
    private let files: DailyFiles
    private let queue: AsyncStream<(day: String, line: [UInt8])>
    private let continuation: AsyncStream<(day: String, line: [UInt8])>.Continuation
    private let maxQueuedBytes: Int
    private let counters = Mutex<(queuedBytes: Int, dropped: Int, failed: Int)>((0, 0, 0))

    /// Creates a writer for a folder whose queue holds at most `maxQueuedBytes` of lines.
    package init(files: DailyFiles, maxQueuedBytes: Int = 256 << 20) {
        self.files = files
        self.maxQueuedBytes = maxQueuedBytes
        (queue, continuation) = AsyncStream.makeStream(of: (day: String, line: [UInt8]).self)
    }

    /// Queues a line for the day it finished on; drops it (and counts it) when the queue is full.
    /// Returns whether the line was queued.
    @discardableResult
    package func enqueue(_ line: [UInt8], finishedAt date: Date) -> Bool {
        let admitted = counters.withLock { counters in
            guard counters.queuedBytes + line.count <= maxQueuedBytes else {
                counters.dropped += 1
                return false
            }
            counters.queuedBytes += line.count
            return true
        }
        if admitted { continuation.yield((DailyFiles.day(of: date), line)) }
        return admitted
    }

    /// `{"queued_bytes", "dropped", "failed"}` for the dashboard's statistics.
    package var statistics: JSONValue {
        let (dropped, failed) = losses
        return ["queued_bytes": .int(queuedBytes), "dropped": .int(dropped), "failed": .int(failed)]
    }

    /// Lines dropped because the queue was full, and lines whose write failed.
    package var losses: (dropped: Int, failed: Int) {
        counters.withLock { ($0.dropped, $0.failed) }
    }

    /// Bytes of lines waiting to be written.
    package var queuedBytes: Int { counters.withLock { $0.queuedBytes } }

    /// Writes queued lines until `finish()`; returns once everything queued before it is on disk.
    package func run(onError: @Sendable (String) -> Void = { _ in }) async {
        for await entry in queue {
            do {
                try files.append(entry.line, day: entry.day)
            } catch {
                counters.withLock { $0.failed += 1 }
                onError(error.description)
            }
            counters.withLock { $0.queuedBytes -= entry.line.count }
        }
    }

    /// Ends the queue; `run` returns after writing what was queued.
    package func finish() {
        continuation.finish()
    }
}
