import AsyncHTTPClient
import GHCCore
import NIOCore
import NIOHTTP1

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A request to GitHub or Copilot.
package struct UpstreamRequest: Sendable {
    /// `GET`, `POST`, …
    package var method: String
    /// The absolute URL.
    package var url: String
    /// Headers in order.
    package var headers: [(String, String)]
    /// The body, if any.
    package var body: [UInt8]?

    /// Creates a request.
    package init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8]? = nil) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }

    /// A form-encoded POST, as GitHub's OAuth endpoints want.
    package static func form(url: String, fields: [(String, String)], headers: [(String, String)] = []) -> UpstreamRequest {
        let body = FormEncoding.encode(fields)
        return UpstreamRequest(
            method: "POST",
            url: url,
            headers: headers + [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")],
            body: Array(body.utf8)
        )
    }
}

/// A whole (non-streamed) answer.
package struct UpstreamResponse: Sendable {
    /// The HTTP status code.
    package let status: Int
    /// The headers.
    package let headers: [(String, String)]
    /// The body bytes.
    package let body: [UInt8]

    /// The body as text.
    package var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed as JSON.
    package func json(url: String) throws(UpstreamError) -> JSONValue {
        do {
            return try JSONValue.parse(body)
        } catch {
            throw .invalidResponse(url: url, reason: "not JSON (\(String(text.prefix(80))))")
        }
    }

    /// The first value of a header, case-insensitively.
    package func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}

/// Sends whole requests with AsyncHTTPClient and maps failures to `UpstreamError`.
package struct UpstreamHTTP: Sendable {
    /// The client; `HTTPClient.shared` for short-lived commands.
    package let client: HTTPClient

    /// Creates a sender on `client`.
    package init(client: HTTPClient = .shared) {
        self.client = client
    }

    /// Posts the bytes of `file` (`-` is standard input) as they are read, never whole in memory, and collects the
    /// answer (at most `maxBodyBytes`).
    package func post(
        file: String,
        url: String,
        headers: [(String, String)],
        timeout: Duration,
        maxBodyBytes: Int = 1 << 20
    ) async throws(UpstreamError) -> UpstreamResponse {
        let chunks: FileChunks
        do {
            chunks = try FileChunks(path: file)
        } catch {
            throw .invalidResponse(url: file, reason: "cannot read: \(error)")
        }
        var outbound = HTTPClientRequest(url: url)
        outbound.method = .POST
        for (name, value) in headers { outbound.headers.add(name: name, value: value) }
        outbound.body = .stream(chunks, length: chunks.size.map { .known(Int64($0)) } ?? .unknown)
        return try await execute(outbound, url: url, timeout: timeout, maxBodyBytes: maxBodyBytes)
    }

    /// Sends `request` and collects the answer (at most `maxBodyBytes`).
    package func send(
        _ request: UpstreamRequest,
        timeout: Duration = .seconds(30),
        maxBodyBytes: Int = 32 << 20
    ) async throws(UpstreamError) -> UpstreamResponse {
        var outbound = HTTPClientRequest(url: request.url)
        outbound.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outbound.headers.add(name: name, value: value) }
        if let body = request.body { outbound.body = .bytes(ByteBuffer(bytes: body)) }
        return try await execute(outbound, url: request.url, timeout: timeout, maxBodyBytes: maxBodyBytes)
    }

    /// Sends `outbound` and collects the answer; a timeout and a cancellation are told apart from other failures.
    private func execute(
        _ outbound: HTTPClientRequest,
        url: String,
        timeout: Duration,
        maxBodyBytes: Int
    ) async throws(UpstreamError) -> UpstreamResponse {
        do {
            let response = try await client.execute(outbound, timeout: TimeAmount(timeout))
            let body = try await response.body.collect(upTo: maxBodyBytes)
            return UpstreamResponse(
                status: Int(response.status.code),
                headers: response.headers.map { ($0.name, $0.value) },
                body: Array(buffer: body)
            )
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            throw .timeout(url: url, after: "\(timeout)")
        } catch {
            throw .from(error, url: url)
        }
    }

    /// A short, human description of a transport error.
    package static func reason(_ error: any Error) -> String {
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return Redaction.scrub(text.count > 160 ? String(text.prefix(160)) + "…" : text)
    }
}

extension TimeAmount {
    /// Converts a Swift `Duration`.
    init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        self = .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
