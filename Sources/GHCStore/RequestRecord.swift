import GHCCore

/// Where a recorded request is in its life.
package enum RequestState: String, Sendable, Codable {
    /// Arrived; not yet sent upstream.
    case pending
    /// Sent upstream; no answer yet.
    case sending
    /// The answer is arriving.
    case receiving
    /// Answered with a status below 400.
    case completed
    /// Answered with an error, or failed.
    case error
    /// The client went away first.
    case cancelled

    /// Whether the request is still running.
    package var isInFlight: Bool { self == .pending || self == .sending || self == .receiving }
}

/// Token counts in Anthropic's sense: `input` excludes cached input.
package struct TokenUsage: Sendable, Equatable {
    /// Input tokens not read from a cache.
    package var input = 0
    /// Output tokens.
    package var output = 0
    /// Input tokens read from a cache.
    package var cacheRead = 0
    /// Input tokens written to a cache.
    package var cacheCreation = 0

    /// Creates usage.
    package init(input: Int = 0, output: Int = 0, cacheRead: Int = 0, cacheCreation: Int = 0) {
        self.input = input
        self.output = output
        self.cacheRead = cacheRead
        self.cacheCreation = cacheCreation
    }
}

/// One proxied request as the dashboard, the daily files and the archives know it.
package struct RequestRecord: Sendable {
    /// A UUID: time-ordered (version 7) for requests this version proxied, as it was for imported ones.
    package var id: String
    /// Unix seconds when it arrived.
    package var timestamp: Double
    /// The caller's address.
    package var clientIP: String
    /// The client's headers, credentials redacted.
    package var requestHeaders: [(String, String)]
    /// The body as the client sent it.
    package var originalRequestBody: StoredBody?
    /// The body sent upstream.
    package var requestBody: StoredBody?
    /// The answer's body (JSON) or its raw event stream (streams).
    package var responseBody: StoredBody?
    /// Whether `responseBody` holds a server-sent event stream.
    package var stream: Bool
    /// The model the client named.
    package var model: String
    /// The model after mapping, when different.
    package var translatedModel: String?
    /// The route, such as `/v1/messages`.
    package var endpoint: String
    /// The status sent to the client, once known.
    package var statusCode: Int?
    /// Bytes of the upstream request.
    package var requestSize: Int
    /// Bytes of the answer.
    package var responseSize: Int
    /// Token usage, once known.
    package var usage: TokenUsage
    /// Seconds from arrival to the end.
    package var duration: Double
    /// Seconds from arrival to the first byte of the answer.
    package var timeToFirstByte: Double?
    /// Where it is in its life.
    package var state: RequestState
    /// The user (always `anonymous`: this version has no user accounts).
    package var userID: String
    /// What went wrong, if anything.
    package var error: String?
    /// The name of the client key it came with (`ghc-api keys`), if any; never the key.
    package var keyName: String?
    /// Keys of imported lines this version does not model, kept as they were.
    package var extra: [String: JSONValue]
    /// The prompt's text for the history's search index (`SearchText.prompt(of:)`), taken when the request arrived;
    /// `nil` when it is to be read from the body. Let go with the bodies once the record is in the history.
    package var searchPrompt: String?

    /// A new record in state `pending`.
    package init(id: String, timestamp: Double, clientIP: String, requestHeaders: [(String, String)], model: String, endpoint: String) {
        self.id = id
        self.timestamp = timestamp
        self.clientIP = clientIP
        self.requestHeaders = requestHeaders
        self.stream = false
        self.model = model
        self.endpoint = endpoint
        self.requestSize = 0
        self.responseSize = 0
        self.usage = TokenUsage()
        self.duration = 0
        self.state = .pending
        self.userID = "anonymous"
        self.extra = [:]
    }

    /// Memory this record's bodies take.
    var storedBytes: Int {
        (originalRequestBody?.storedSize ?? 0) + (requestBody?.storedSize ?? 0) + (responseBody?.storedSize ?? 0)
            + (searchPrompt?.utf8.count ?? 0) + 512
    }

    /// Header names whose values are credentials (matched case-insensitively; also `*-access-token`,
    /// `*-auth-token`, `*-api-key`, `*-secret`).
    package static func isCredentialHeader(_ name: String) -> Bool {
        let lowered = name.lowercased()
        return credentialHeaders.contains(lowered) || credentialSuffixes.contains { lowered.hasSuffix($0) }
    }

    /// Credential header names, lowercased (made once: a literal in the function built a set for every header).
    private static let credentialHeaders: Set<String> = [
        "authorization", "proxy-authorization", "x-api-key", "x-apikey", "api-key", "ocp-apim-subscription-key", "cookie", "set-cookie",
    ]

    /// Endings of credential header names.
    private static let credentialSuffixes = ["-access-token", "-auth-token", "-api-key", "-secret"]

    /// Headers with credential values replaced by `***REDACTED***`.
    package static func redacted(_ headers: [(String, String)]) -> [(String, String)] {
        headers.map { isCredentialHeader($0.0) ? ($0.0, "***REDACTED***") : $0 }
    }
}
