import AsyncHTTPClient

/// Everything that can go wrong talking to GitHub or Copilot. Messages never contain a token.
package enum UpstreamError: Error, CustomStringConvertible, Equatable {
    /// No GitHub token in `GITHUB_TOKEN` or the token file.
    case notLoggedIn
    /// GitHub refused the GitHub token when exchanging it for a Copilot token.
    case githubTokenRejected(status: Int, detail: String)
    /// The request never got an answer (refused, reset, broken).
    case network(url: String, reason: String)
    /// No connection could be made (refused, unreachable, connect timeout), so nothing was sent and the call can be
    /// repeated.
    case unreachable(url: String, reason: String)
    /// No answer came within the time allowed.
    case timeout(url: String, after: String)
    /// The caller went away, so the call was abandoned.
    case cancelled
    /// The upstream answered with an error status.
    case status(url: String, code: Int, body: String)
    /// The upstream answered 2xx with something that is not what was expected.
    case invalidResponse(url: String, reason: String)
    /// The device flow cannot run against this host.
    case deviceFlowUnavailable(String)
    /// The user pressed "Cancel" on the device page.
    case deviceFlowDenied
    /// The code expired before the user entered it.
    case deviceFlowExpired
    /// GitHub ended the device flow with another error.
    case deviceFlowFailed(String)

    /// One line for the user, with what to do next where there is something to do.
    package var description: String {
        switch self {
        case .notLoggedIn:
            "not logged in to GitHub; run `ghc-api auth login` (or set GITHUB_TOKEN)"
        case .githubTokenRejected(let status, let detail):
            "GitHub rejected the saved token (HTTP \(status)\(detail.isEmpty ? "" : ": " + detail)); run `ghc-api auth login`"
        case .network(let url, let reason), .unreachable(let url, let reason):
            "cannot reach \(url): \(reason)"
        case .timeout(let url, let after):
            "no answer from \(url) within \(after)"
        case .cancelled:
            "cancelled: the client went away"
        case .status(let url, let code, let body):
            "\(url) answered HTTP \(code)" + (body.isEmpty ? "" : ": " + body)
        case .invalidResponse(let url, let reason):
            "unexpected answer from \(url): \(reason)"
        case .deviceFlowUnavailable(let reason):
            "cannot log in with the device flow: \(reason)"
        case .deviceFlowDenied:
            "the authorization was denied on GitHub"
        case .deviceFlowExpired:
            "the device code expired before it was entered; run `ghc-api auth login` again"
        case .deviceFlowFailed(let reason):
            "GitHub login failed: \(reason)"
        }
    }

    /// The error for a failure of an HTTP call to `url`: a cancellation stays a cancellation.
    static func from(_ error: any Error, url: String) -> UpstreamError {
        if let error = error as? UpstreamError { return error }
        if error is CancellationError || (error as? HTTPClientError) == .cancelled { return .cancelled }
        return .network(url: url, reason: UpstreamHTTP.reason(error))
    }

    /// Whether trying again may help (no answer at all, or a 5xx from the server).
    package var isTransient: Bool {
        switch self {
        case .network, .unreachable, .timeout: true
        case .status(_, let code, _): code >= 500
        default: false
        }
    }
}
