import GHCUpstream
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import Testing

@Suite struct PooledHTTPClientTests {
    /// One loop, so every call shares one pool.
    private static let loop = MultiThreadedEventLoopGroup(numberOfThreads: 1)

    private func client(readTimeout: Duration = .seconds(5), tls: TLSConfiguration? = nil) -> PooledHTTPClient {
        PooledHTTPClient(
            group: Self.loop,
            settings: .init(connectTimeout: .seconds(2), readTimeout: readTimeout, tls: tls)
        )
    }

    private func call(
        _ client: PooledHTTPClient,
        _ url: String,
        body: String = "{}",
        headTimeout: Duration = .seconds(5)
    ) async throws(UpstreamError) -> PooledHTTPAnswer {
        try await client.execute(url: url, headers: ["X-Test": "yes"], body: ByteBuffer(string: body), headTimeout: headTimeout)
    }

    private func text(_ answer: PooledHTTPAnswer) async throws -> String {
        String(buffer: try await answer.body.collect(upTo: 1 << 20))
    }

    @Test func callsInARowShareOneKeptAliveConnection() async throws {
        let upstream = try await ScriptedUpstream { request in
            .answer(.ok, parts: ["you sent ", request.body, " to ", request.uri])
        }
        let client = client()
        for number in 1...3 {
            let answer = try await call(client, "http://127.0.0.1:\(upstream.port)/chat/completions?n=\(number)", body: "call \(number)")
            #expect(answer.status == .ok)
            #expect(try await text(answer) == "you sent call \(number) to /chat/completions?n=\(number)")
        }
        #expect(upstream.accepted == 1)
        let first = try #require(upstream.requests.first)
        #expect(first.headers["host"] == ["127.0.0.1:\(upstream.port)"])
        #expect(first.headers["content-length"] == ["6"])
        #expect(first.headers["x-test"] == ["yes"])
        await client.shutdown()
        await upstream.stop()
    }

    @Test func eachEventLoopKeepsItsOwnConnections() async throws {
        let upstream = try await ScriptedUpstream { _ in .answer(.ok, parts: ["ok"]) }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let client = PooledHTTPClient(group: group, settings: .init(connectTimeout: .seconds(2), readTimeout: .seconds(5)))
        let loops = Array(group.makeIterator())
        for loop in loops + loops {
            let answer = try await withTaskExecutorPreference(EventLoopTaskExecutor(loop)) { () async throws -> String in
                try await text(try await call(client, "http://127.0.0.1:\(upstream.port)/x"))
            }
            #expect(answer == "ok")
        }
        #expect(upstream.accepted == 2)
        await client.shutdown()
        await upstream.stop()
        try await group.shutdownGracefully()
    }

    @Test func aLargeBodyReadSlowlyArrivesWhole() async throws {
        let part = String(repeating: "x", count: 16 << 10)
        let upstream = try await ScriptedUpstream { _ in .answer(.ok, parts: Array(repeating: part, count: 256)) }
        let answer = try await call(client(), "http://127.0.0.1:\(upstream.port)/x")
        var bytes = 0
        var reads = 0
        for try await chunk in answer.body {
            bytes += chunk.readableBytes
            reads += 1
            if reads % 16 == 0 { try await Task.sleep(for: .milliseconds(2)) }
        }
        #expect(bytes == 256 * part.utf8.count)
        await upstream.stop()
    }

    @Test func aReaderThatStopsAtTheLastEventKeepsTheConnectionWhenTheEndFollows() async throws {
        // A relay stops reading at `[DONE]`; the chunked answer's end arrives a moment later.
        let upstream = try await ScriptedUpstream { request in
            request.number == 1 ? .lateEnd(parts: ["data: [DONE]\n\n"], after: .milliseconds(20)) : .answer(.ok, parts: ["next"])
        }
        let client = client()
        do {
            let answer = try await call(client, "http://127.0.0.1:\(upstream.port)/x")
            var iterator = answer.body.makeAsyncIterator()
            #expect(try await iterator.next().map { String(buffer: $0) } == "data: [DONE]\n\n")
        }
        try await Task.sleep(for: .milliseconds(60))
        #expect(try await text(try await call(client, "http://127.0.0.1:\(upstream.port)/x")) == "next")
        #expect(upstream.accepted == 1)
        await upstream.stop()
    }

    @Test func aTLSConnectionClosedDuringTheHandshakeIsUnreachable() async throws {
        // Nothing was sent (the request waits for the handshake), so the caller may send it again.
        let closing = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in channel.close() }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        let port = closing.localAddress?.port ?? 0
        await #expect {
            _ = try await call(client(), "https://localhost:\(port)/x")
        } throws: { error in
            guard case UpstreamError.unreachable(_, let reason) = error else { return false }
            return reason.contains("TLS handshake")
        }
        try await closing.close()
    }

    @Test(arguments: [
        "ftp://127.0.0.1/x", "http:///x", "http://user@127.0.0.1/x", "http://127.0.0.1:+80/x", "http://::1/x", "http://h:99999/x",
    ])
    func aURLThatIsNotAnHTTPOriginIsRefused(url: String) async {
        await #expect(throws: UpstreamError.network(url: url, reason: "not an absolute http or https URL")) {
            _ = try await call(client(), url)
        }
    }

    @Test func aURLWithAnEmptyPortIsAccepted() async {
        // It goes to port 80: whether something answers there does not matter, only that the URL was not refused.
        let url = "http://127.0.0.1:/x"
        do {
            _ = try await call(client(), url, headTimeout: .milliseconds(300))
        } catch {
            #expect(error != .network(url: url, reason: "not an absolute http or https URL"))
        }
    }

    @Test func aRedirectIsReturnedNotFollowed() async throws {
        let upstream = try await ScriptedUpstream { _ in .answer(.found, headers: [("location", "/elsewhere")]) }
        let client = client()
        let answer = try await call(client, "http://127.0.0.1:\(upstream.port)/chat/completions")
        #expect(answer.status == .found)
        #expect(answer.headers["location"] == ["/elsewhere"])
        _ = try await text(answer)
        #expect(upstream.requests.map(\.uri) == ["/chat/completions"])
        await upstream.stop()
    }

    @Test func noHeadWithinTheWaitIsATimeout() async throws {
        let upstream = try await ScriptedUpstream { _ in .silence }
        let client = client()
        await #expect(throws: UpstreamError.timeout(url: "http://127.0.0.1:\(upstream.port)/x", after: "0.2 seconds")) {
            _ = try await call(client, "http://127.0.0.1:\(upstream.port)/x", headTimeout: .milliseconds(200))
        }
        await upstream.stop()
    }

    @Test func aBodyThatGoesSilentEndsWithATimeout() async throws {
        let upstream = try await ScriptedUpstream { _ in .headThenSilence }
        let client = client(readTimeout: .milliseconds(200))
        let answer = try await call(client, "http://127.0.0.1:\(upstream.port)/x")
        #expect(answer.status == .ok)
        await #expect(throws: UpstreamError.timeout(url: "http://127.0.0.1:\(upstream.port)/x", after: "0.2 seconds")) {
            _ = try await text(answer)
        }
        await upstream.stop()
    }

    @Test func aSilentBodyGivesIdleTicksUntilTheReadTimeout() async throws {
        let upstream = try await ScriptedUpstream { _ in .headThenSilence }
        let client = client(readTimeout: .milliseconds(700))
        let answer = try await client.execute(
            url: "http://127.0.0.1:\(upstream.port)/x",
            headers: [:],
            body: ByteBuffer(string: "{}"),
            headTimeout: .seconds(5),
            idleTick: .milliseconds(200)
        )
        var ticks = 0
        await #expect(throws: UpstreamError.timeout(url: "http://127.0.0.1:\(upstream.port)/x", after: "0.7 seconds")) {
            for try await chunk in answer.body {
                #expect(chunk.readableBytes == 0)
                ticks += 1
            }
        }
        // Ticks are due at 0.2, 0.4 and 0.6 s; a loaded machine may fire the timer late, but never skips the first.
        #expect(ticks >= 1)
        await upstream.stop()
    }

    @Test func aReusedConnectionClosedByTheUpstreamIsReplacedOnce() async throws {
        // The first connection is closed as its second request arrives: the race of a keep-alive connection the
        // upstream dropped while it was idle.
        let upstream = try await ScriptedUpstream { request in
            request.connection == 1 && request.number == 2 ? .close : .answer(.ok, parts: ["fine"])
        }
        let client = client()
        _ = try await text(try await call(client, "http://127.0.0.1:\(upstream.port)/x"))
        #expect(try await text(try await call(client, "http://127.0.0.1:\(upstream.port)/x")) == "fine")
        #expect(upstream.accepted == 2)
        await upstream.stop()
    }

    @Test func aNewConnectionClosedBeforeAnAnswerIsNotSentAgain() async throws {
        let upstream = try await ScriptedUpstream { _ in .close }
        let client = client()
        await #expect {
            _ = try await call(client, "http://127.0.0.1:\(upstream.port)/x")
        } throws: { error in
            guard case UpstreamError.network(_, let reason) = error else { return false }
            return reason.contains("closed")
        }
        #expect(upstream.requests.count == 1)
        await upstream.stop()
    }

    @Test func aRefusedConnectionIsUnreachable() async throws {
        let upstream = try await ScriptedUpstream { _ in .silence }
        let port = upstream.port
        await upstream.stop()
        let client = client()
        await #expect(throws: UpstreamError.unreachable(url: "http://127.0.0.1:\(port)/x", reason: "connection refused")) {
            _ = try await call(client, "http://127.0.0.1:\(port)/x")
        }
    }

    @Test func aCancelledCallClosesItsConnection() async throws {
        let upstream = try await ScriptedUpstream { _ in .silence }
        let client = client()
        let waiting = Task { try await call(client, "http://127.0.0.1:\(upstream.port)/x") }
        while upstream.requests.isEmpty { try await Task.sleep(for: .milliseconds(10)) }
        waiting.cancel()
        await #expect(throws: UpstreamError.cancelled) { _ = try await waiting.value }
        while upstream.closed == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(upstream.closed == 1)
        await upstream.stop()
    }

    @Test func aBodyLeftUnreadClosesItsConnection() async throws {
        let upstream = try await ScriptedUpstream { request in
            request.connection == 1 ? .headThenSilence : .answer(.ok, parts: ["second"])
        }
        let client = client()
        do {
            let answer = try await call(client, "http://127.0.0.1:\(upstream.port)/x")
            #expect(answer.status == .ok)
        }
        while upstream.closed == 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(try await text(try await call(client, "http://127.0.0.1:\(upstream.port)/x")) == "second")
        #expect(upstream.accepted == 2)
        await upstream.stop()
    }

    @Test func httpsVerifiesTheUpstreamsCertificate() async throws {
        let certificate = try NIOSSLCertificate(bytes: Array(TestCertificate.pem.utf8), format: .pem)
        let key = try NIOSSLPrivateKey(bytes: Array(TestCertificate.key.utf8), format: .pem)
        let server = try NIOSSLContext(
            configuration: .makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        )
        let upstream = try await ScriptedUpstream(tls: server) { _ in .answer(.ok, parts: ["secret"]) }
        var trusting = TLSConfiguration.makeClientConfiguration()
        trusting.trustRoots = .certificates([certificate])
        let answer = try await call(client(tls: trusting), "https://localhost:\(upstream.port)/x")
        #expect(try await text(answer) == "secret")

        // The system's trust roots do not know the test certificate: the call fails, and says why.
        await #expect {
            _ = try await call(client(), "https://localhost:\(upstream.port)/x")
        } throws: { error in
            guard case UpstreamError.network(_, let reason) = error else { return false }
            return reason.lowercased().contains("certificate")
        }
        await upstream.stop()
    }
}

/// A self-signed certificate for `localhost` (valid until 2126) and its key, for the TLS test.
enum TestCertificate {
    /// The certificate.
    static let pem = """
        -----BEGIN CERTIFICATE-----
        MIIBlTCCATugAwIBAgIUNY+ZjKQLePVUvSDZLe2qc6jhbpwwCgYIKoZIzj0EAwIw
        FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTIwMzEzNDM1MFoYDzIxMjYxMTA5
        MTM0MzUwWjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
        PQMBBwNCAASUjGJ8N5K6uAxEnF7Pf7h/P9znLp4J8+WjSE8UwzTlQVnMg08+V4CY
        IEkIEOj3t268cJj41Inew4m1ExqY7h3Io2kwZzAdBgNVHQ4EFgQUYuz/jH62QUJJ
        92U2NWrtWKhECkIwHwYDVR0jBBgwFoAUYuz/jH62QUJJ92U2NWrtWKhECkIwDwYD
        VR0TAQH/BAUwAwEB/zAUBgNVHREEDTALgglsb2NhbGhvc3QwCgYIKoZIzj0EAwID
        SAAwRQIgeVSZDCIday7YmwZ3omMsSBxNfCCFNw0cKmjWxfXGQRkCIQC9RdjhnZ4t
        WWM7yj/WXAhyGxUZ9731OhupZZfCRe82dg==
        -----END CERTIFICATE-----
        """

    /// Its private key (a test key, used nowhere else).
    static let key = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQghEuSIh8ay4PrbJP4
        Zc4pB5gCnk7NunvEjZLw0NG5IC2hRANCAASUjGJ8N5K6uAxEnF7Pf7h/P9znLp4J
        8+WjSE8UwzTlQVnMg08+V4CYIEkIEOj3t268cJj41Inew4m1ExqY7h3I
        -----END PRIVATE KEY-----
        """
}
