import GHCCore
import GHCStore
import GHCTranslation
import GHCUsage
import HTTPTypes
import Hummingbird
import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Records proxied requests in the store (and the daily files when `save_request_to_file` is on).
package struct Recorder: Sendable {
    /// The store.
    package let store: RequestStore
    /// The daily-file writer, when the server has one.
    package let dailyFiles: DailyFileWriter?
    /// The history database's writer, when the server has one.
    package let history: RequestHistory?
    /// Token usage by user and model, for the usage reporter.
    package let usage: UsageCounters?
    /// The live configuration, for the body size limit and `save_request_to_file`.
    let config: LiveConfig
    /// Where dropped daily-file lines are reported.
    let logger: Logger
    /// Told of every finished record (per-key usage, metrics).
    let finished: (@Sendable (RequestRecord) -> Void)?

    /// Creates a recorder.
    package init(
        store: RequestStore,
        dailyFiles: DailyFileWriter?,
        history: RequestHistory? = nil,
        usage: UsageCounters? = nil,
        config: LiveConfig,
        logger: Logger,
        finished: (@Sendable (RequestRecord) -> Void)? = nil
    ) {
        self.logger = logger
        self.finished = finished
        self.history = history
        self.usage = usage
        self.store = store
        self.dailyFiles = dailyFiles
        self.config = config
    }

    /// Returns when the history can take another record: at once, unless its writer is behind on bodies already
    /// queued (then the request waits, its body still unread, until the writer catches up).
    func room() async {
        await history?.room()
    }

    /// Creates the record of a request that just arrived and returns its handle.
    func start(
        _ request: Request,
        caller: Caller,
        body: JSONRequestBody,
        model: String,
        mapped: String,
        upstreamBody: [UInt8]
    ) -> RecordHandle {
        let limit = config.current.cacheMaxRequestSize
        let headers = RequestRecord.redacted(request.headers.map { ($0.name.rawName, $0.value) })
        var record = RequestRecord(
            id: caller.requestID.flatMap { $0.isGenerated ? $0.value : nil } ?? RequestID.next(),
            timestamp: Date().timeIntervalSince1970,
            clientIP: caller.address,
            requestHeaders: headers,
            model: model,
            endpoint: request.uri.path
        )
        record.translatedModel = mapped == model ? nil : mapped
        record.keyName = caller.keyName
        if let client = caller.requestID, !client.isGenerated { record.extra["client_request_id"] = .string(client.value) }
        // Kept as they are for now; the store compresses them when the request is finished, off the request path.
        let original = StoredBody(body.bytes, limit: limit, compress: false)
        record.originalRequestBody = original
        record.requestBody = upstreamBody == body.bytes ? original : StoredBody(upstreamBody, limit: limit, compress: false)
        record.requestSize = upstreamBody.count
        record.stream = body.wantsStream
        // From the tree parsed already: the history's writer would otherwise parse the whole body again for it.
        if history != nil, !original.truncated { record.searchPrompt = SearchText.prompt(of: body.json) }
        store.start(record)
        return RecordHandle(id: record.id, recorder: self, started: ContinuousClock.now, user: Self.user(of: body.json))
    }

    /// The client's user: Anthropic's `metadata.user_id` (Claude Code's account, else its device), OpenAI's `user`,
    /// else `anonymous`.
    static func user(of body: JSONValue) -> String {
        ClaudeUserID.id(from: body["metadata"]) ?? body["user"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "anonymous"
    }

    /// Completes the record in the store, counts its usage, queues it for the history database and, when
    /// `save_request_to_file` is on, for the daily file.
    func finish(_ id: String, user: String = "anonymous", _ completion: RequestCompletion) {
        guard let record = store.complete(id, completion) else { return }
        var totals = UsageTotals()
        totals.requests = 1
        totals.input = record.usage.input
        totals.output = record.usage.output
        totals.cacheRead = record.usage.cacheRead
        totals.cacheCreation = record.usage.cacheCreation
        totals.sent = record.requestSize
        totals.received = record.responseSize
        usage?.count(user: user, model: record.translatedModel ?? record.model, totals)
        finished?(record)
        if let history, !history.enqueue(record), history.statisticsDropped.isPowerOfTwo {
            logger.warning("the history database cannot keep up; \(history.statisticsDropped) record(s) not recorded in it so far")
        }
        if config.current.saveRequestToFile, let dailyFiles,
            !dailyFiles.enqueue(record.line(limit: config.current.cacheMaxRequestSize), finishedAt: Date()),
            dailyFiles.losses.dropped.isPowerOfTwo
        {
            // Logged at the 1st, 2nd, 4th, 8th … drop: visible without flooding the log while the disk lags.
            logger.warning("the daily request file cannot keep up; \(dailyFiles.losses.dropped) record(s) dropped from it so far")
        }
    }
}

/// One request's record, passed along the request's path.
struct RecordHandle: Sendable {
    /// The record's id in the store.
    let id: String
    /// The recorder that owns the record.
    let recorder: Recorder
    /// When the request arrived, for the time to the first byte.
    let started: ContinuousClock.Instant
    /// The client's user, for token usage.
    let user: String

    /// Most response bytes kept for the record (one more than the limit, to know it was exceeded).
    var captureLimit: Int {
        let limit = recorder.config.current.cacheMaxRequestSize
        return limit > 0 ? limit + 1 : Int.max
    }

    /// Marks the record as being sent to Copilot.
    func sending() {
        recorder.store.update(id, to: .sending)
    }

    /// Marks the record as receiving Copilot's answer and notes the time to it.
    func receiving() {
        let elapsed = ContinuousClock.now - started
        recorder.store.update(
            id,
            to: .receiving,
            firstByteAfter: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        )
    }

    /// Completes the record with how the relay ended.
    func finish(_ outcome: RelayOutcome) {
        recorder.finish(
            id,
            user: user,
            RequestCompletion(
                status: outcome.status,
                responseBody: outcome.body,
                stream: outcome.streamed,
                responseSize: outcome.responseSize,
                usage: outcome.usage,
                error: outcome.failure,
                cancelled: outcome.status == 499,
                bodyLimit: recorder.config.current.cacheMaxRequestSize
            )
        )
    }

    /// Completes the record with an error that came before Copilot answered.
    func fail(_ error: ProxyError) {
        recorder.finish(
            id,
            user: user,
            RequestCompletion(
                status: Int(error.status.code),
                responseBody: JSONWriter.bytes(error.body),
                stream: false,
                responseSize: 0,
                usage: TokenUsage(),
                error: error.message,
                cancelled: error.status.code == 499,
                bodyLimit: recorder.config.current.cacheMaxRequestSize
            )
        )
    }
}

extension Int {
    /// Whether this is 1, 2, 4, 8, …
    var isPowerOfTwo: Bool { self > 0 && self & (self - 1) == 0 }
}
