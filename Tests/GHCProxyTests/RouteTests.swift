import GHCCore
import GHCProxy
import GHCServer
import GHCStandIn
import GHCUpstream
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

/// Every route of the proxy, in process through the server's router, against the stand-in upstream.
@Suite struct RouteTests {
    /// Runs `body` with a test client of a server whose upstream is a fresh stand-in.
    private func withServer(
        _ yaml: String = "",
        _ body: @Sendable (any TestClientProtocol, StandInUpstream) async throws -> Void
    ) async throws {
        try await StandInUpstream.with { upstream in
            let text = "github_api_base_url: \(upstream.baseURL)\ngithub_base_url: \(upstream.baseURL)\n" + yaml
            let config = try GHCConfig.load(ConfigDocument(path: "config.yaml", text: text)).config
            let settings = ServerSettings(
                config: config,
                location: ConfigLocation(directory: "/nonexistent"),
                credential: GitHubCredential(token: StandInScenario.githubToken, source: .environment),
                reloadCredential: nil,
                logger: Logger(label: "test")
            )
            let parts = buildServerParts(settings)
            let app = Application(
                router: buildRouter(parts: parts, security: ServerSecurity(address: "127.0.0.1", apiKeys: config.apiKeys))
            )
            try await app.test(.router) { client in try await body(client, upstream) }
            await parts.shutdownHTTPClients()
        }
    }

    private func post(
        _ client: any TestClientProtocol,
        _ uri: String,
        _ json: String,
        headers: HTTPFields = [:]
    ) async throws -> TestResponse {
        var fields: HTTPFields = [.contentType: "application/json"]
        fields.append(contentsOf: headers)
        return try await client.execute(uri: uri, method: .post, headers: fields, body: ByteBuffer(string: json))
    }

    private func json(_ response: TestResponse) throws -> JSONValue {
        try JSONValue.parse(response.body.readableBytesView)
    }

    static let chatBodies = [
        #"{"model":"gpt-4.1","messages":[{"role":"user","content":"route"}]}"#,
        #"{"model":"gpt-4.1","stream":true,"messages":[{"role":"user","content":"route"}]}"#,
    ]

    @Test(arguments: ["/v1/chat/completions", "/chat/completions"], chatBodies)
    func chatCompletionsJSONAndStream(path: String, body: String) async throws {
        try await withServer { client, upstream in
            let response = try await post(client, path, body)
            #expect(response.status == .ok)
            let text = String(buffer: response.body)
            if body.contains("stream") {
                #expect(response.headers[.contentType] == "text/event-stream" && text.hasSuffix("data: [DONE]\n\n"))
                #expect(text.contains(#""content":"route""#))
            } else {
                #expect(try json(response)["choices"]?.arrayValue?.first?["message"]?["content"] == "You said: route")
            }
            let calls = await upstream.state.requests(to: "/chat/completions")
            #expect(calls.count == 1)
        }
    }

    @Test func responsesAndTheirRefusals() async throws {
        try await withServer { client, upstream in
            let whole = try await post(client, "/v1/responses", #"{"model":"gpt-5.2-codex","input":"route"}"#)
            #expect(try whole.status == .ok && json(whole)["status"] == "completed")
            let stream = try await post(client, "/responses", #"{"model":"gpt-5.3-codex","input":"route","stream":true}"#)
            #expect(String(buffer: stream.body).contains("event: response.completed"))
            let wrong = try await post(client, "/v1/responses", #"{"model":"gpt-4.1","input":"route"}"#)
            #expect(try wrong.status == .badRequest && json(wrong)["error"]?["code"] == "unsupported_model")
            let calls = await upstream.state.requests(to: "/responses")
            #expect(calls.count == 2)
        }
    }

    @Test func embeddingsAreSentInBatchForm() async throws {
        try await withServer { client, upstream in
            let response = try await post(client, "/v1/embeddings", #"{"model":"text-embedding-3-small","input":"one"}"#)
            #expect(try response.status == .ok && json(response)["data"]?.arrayValue?.count == 1)
            let sent = try #require(await upstream.state.requests(to: "/embeddings").first)
            #expect(try JSONValue.parse(sent.body)["input"] == ["one"])
        }
    }

    @Test func modelsAreListedAndFoundBySpelling() async throws {
        try await withServer { client, _ in
            let list = try await client.execute(uri: "/v1/models", method: .get)
            #expect(try json(list)["data"]?.arrayValue?.count == 11)
            let one = try await client.execute(uri: "/models/claude-opus-5-5", method: .get)
            #expect(try one.status == .ok && json(one)["id"] == "claude-opus-5.5")
            let none = try await client.execute(uri: "/v1/models/nope", method: .get)
            #expect(none.status == .notFound)
        }
    }

    @Test(arguments: [("claude-opus-5-5", "/v1/messages"), ("gpt-4.1", "/chat/completions"), ("gpt-5.3-codex", "/responses")])
    func messagesOnEachPath(model: String, upstreamPath: String) async throws {
        try await withServer { client, upstream in
            let body =
                #"{"model":"\#(model)","max_tokens":100,"messages":[{"role":"user","content":"route"},{"role":"system","content":"ctx"}]}"#
            let whole = try await post(client, "/v1/messages", body)
            #expect(whole.status == .ok)
            #expect(try json(whole)["content"]?.arrayValue?.last?["text"] == "You said: route")
            let stream = try await post(client, "/messages", body.replacingAll("\"max_tokens\"", with: "\"stream\":true,\"max_tokens\""))
            #expect(String(buffer: stream.body).hasSuffix("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"))
            let calls = await upstream.state.requests(to: upstreamPath)
            #expect(calls.count == 2)
            #expect(calls.allSatisfy { call in call.headers.contains { $0 == ("x-initiator", "user") } })
        }
    }

    @Test func countTokensIsLocal() async throws {
        try await withServer { client, upstream in
            let response = try await post(
                client,
                "/v1/messages/count_tokens",
                #"{"model":"claude-opus-5-5","messages":[{"role":"user","content":"count me"}]}"#
            )
            #expect(try response.status == .ok && (json(response)["input_tokens"]?.intValue ?? 0) > 0)
            let calls = await upstream.state.requests(to: "/v1/messages")
            #expect(calls.isEmpty)
        }
    }

    @Test func badRequestsAnswerInTheCallersFormat() async throws {
        try await withServer { client, _ in
            let openAI = try await post(client, "/v1/chat/completions", "{not json")
            #expect(try openAI.status == .badRequest && json(openAI)["error"]?["code"] == "invalid_json")
            let anthropic = try await post(client, "/v1/messages", #"{"model":"claude-opus-5-5"}"#)
            #expect(try anthropic.status == .badRequest && json(anthropic)["type"] == "error")
            let typeless = try await client.execute(uri: "/v1/chat/completions", method: .post, body: ByteBuffer(string: "{}"))
            #expect(try typeless.status == .badRequest && json(typeless)["error"]?["code"] == "invalid_content_type")
            let missing = try await client.execute(uri: "/v1/nothing", method: .get)
            #expect(try missing.status == .notFound && json(missing)["error"]?["code"] == "not_found")
            let method = try await client.execute(uri: "/v1/messages", method: .get)
            #expect(method.status == .methodNotAllowed && method.headers[.allow] == "POST")
        }
    }

    @Test func apiKeysAreRequiredWhenSet() async throws {
        try await withServer("api_keys: [k-0123456789]\n") { client, _ in
            let refused = try await post(client, "/v1/chat/completions", Self.chatBodies[0])
            #expect(refused.status == .unauthorized)
            let bearer = try await post(
                client,
                "/v1/chat/completions",
                Self.chatBodies[0],
                headers: [.authorization: "Bearer k-0123456789"]
            )
            #expect(bearer.status == .ok)
            let header = try await post(
                client,
                "/v1/messages",
                #"{"model":"gpt-4.1","max_tokens":9,"messages":[{"role":"user","content":"x"}]}"#,
                headers: [HTTPField.Name("x-api-key")!: "k-0123456789"]
            )
            #expect(header.status == .ok)
        }
    }

    @Test func everyCallIsRecordedForTheDashboard() async throws {
        try await withServer { client, _ in
            _ = try await post(client, "/v1/chat/completions", Self.chatBodies[0])
            let stats = try await client.execute(uri: "/api/stats", method: .get)
            #expect(try json(stats)["total_requests"] == 1)
            let list = try await client.execute(uri: "/api/requests", method: .get)
            let item = try #require(try json(list)["items"]?.arrayValue?.first)
            #expect(item["model"] == "gpt-4.1" && item["state"] == "completed")
        }
    }
}
