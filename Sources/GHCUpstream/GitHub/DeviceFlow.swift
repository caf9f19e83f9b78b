import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// GitHub's OAuth device flow, as ghc-api 1.0.31 runs it (client id of the GitHub CLI app, scope `read:user copilot`).
package struct DeviceFlow: Sendable {
    /// What the user must do: open `verificationURI` and type `userCode`.
    package struct Authorization: Sendable, Equatable {
        /// Secret polling code; never shown.
        package let deviceCode: String
        /// The code the user types.
        package let userCode: String
        /// Where the user types it.
        package let verificationURI: String
        /// Seconds until the code expires.
        package let expiresIn: Int
        /// Seconds between polls.
        package let interval: Int
    }

    /// Progress reported while waiting.
    package enum Event: Sendable, Equatable {
        /// Still waiting for the user.
        case pending
        /// GitHub asked to poll less often; the new interval in seconds.
        case slowDown(interval: Int)
        /// A poll failed and will be repeated.
        case retrying(String)
    }

    /// The OAuth app.
    package static let clientID = "01ab8ac9400c4e429b23"
    /// The scopes asked for.
    package static let scope = "read:user copilot"

    /// Sends the requests to GitHub.
    let http: UpstreamHTTP
    /// GitHub's web host, such as `https://github.com`.
    let webBaseURL: String
    /// Waits between polls; tests pass one that returns at once.
    let sleep: @Sendable (Duration) async throws -> Void
    /// The clock the code's expiry is measured on.
    let now: @Sendable () -> ContinuousClock.Instant

    /// Creates a flow against `webBaseURL` (for example `https://github.com`).
    /// - Parameters:
    ///   - sleep: waits between polls; tests pass one that returns at once.
    package init(
        http: UpstreamHTTP,
        webBaseURL: String,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.http = http
        self.webBaseURL = webBaseURL
        self.sleep = sleep
        self.now = now
    }

    /// Step 1: asks GitHub for a device and a user code.
    package func start() async throws(UpstreamError) -> Authorization {
        let url = webBaseURL + "/login/device/code"
        let response = try await http.send(.form(url: url, fields: [("client_id", Self.clientID), ("scope", Self.scope)]))
        guard (200..<300).contains(response.status) else {
            throw .status(url: url, code: response.status, body: String(response.text.prefix(500)))
        }
        let json = try response.json(url: url)
        guard let deviceCode = json["device_code"]?.stringValue, !deviceCode.isEmpty,
            let userCode = json["user_code"]?.stringValue, !userCode.isEmpty,
            let uri = json["verification_uri"]?.stringValue, !uri.isEmpty
        else {
            throw .invalidResponse(url: url, reason: "incomplete device code response")
        }
        return Authorization(
            deviceCode: deviceCode,
            userCode: userCode,
            verificationURI: uri,
            expiresIn: json["expires_in"]?.intValue ?? 900,
            interval: json["interval"]?.intValue ?? 5
        )
    }

    /// Step 2: polls until the user approves, denies, or the code expires; returns the GitHub token.
    /// Sleeps one interval before each poll; `slow_down` adds 5 seconds to the interval.
    package func waitForToken(
        _ authorization: Authorization,
        onEvent: @Sendable (Event) -> Void = { _ in }
    ) async throws(UpstreamError) -> String {
        let url = webBaseURL + "/login/oauth/access_token"
        let deadline = now() + .seconds(authorization.expiresIn)
        var interval = max(0, authorization.interval)
        while now() < deadline {
            do {
                try await sleep(.seconds(interval))
            } catch {
                throw .deviceFlowFailed("cancelled")
            }
            let response: UpstreamResponse
            do {
                response = try await http.send(
                    .form(
                        url: url,
                        fields: [
                            ("client_id", Self.clientID), ("device_code", authorization.deviceCode),
                            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                        ]
                    )
                )
            } catch {
                if Task.isCancelled { throw .deviceFlowFailed("cancelled") }
                onEvent(.retrying(error.description))
                continue
            }
            guard (200..<300).contains(response.status), let json = try? response.json(url: url) else {
                onEvent(.retrying("HTTP \(response.status)"))
                continue
            }
            if let token = json["access_token"]?.stringValue, !token.isEmpty { return token }
            switch json["error"]?.stringValue {
            case "authorization_pending"?:
                onEvent(.pending)
            case "slow_down"?:
                interval += 5
                onEvent(.slowDown(interval: interval))
            case "expired_token"?:
                throw .deviceFlowExpired
            case "access_denied"?:
                throw .deviceFlowDenied
            case let code?:
                throw .deviceFlowFailed(json["error_description"]?.stringValue ?? code)
            case nil:
                throw .invalidResponse(url: url, reason: "neither a token nor an error")
            }
        }
        throw .deviceFlowExpired
    }
}
