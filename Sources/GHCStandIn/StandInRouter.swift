import GHCCore
import HTTPTypes
import Hummingbird
import NIOCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Builds the stand-in's router over `state`; with `scenarioControl`, also the `/_standin/…` routes tests use to
/// script it and read its request log.
package func buildStandInRouter(state: StandInState, scenarioControl: Bool = true) -> Router<BasicRequestContext> {
    let router = Router()
    let exchange = StandInExchange(state: state)
    router.post("/login/device/code") { request, context in try await exchange.deviceCode(request, context) }
    router.post("/login/oauth/access_token") { request, context in try await exchange.devicePoll(request, context) }
    router.get("/user") { request, context in try await exchange.user(request, context) }
    router.get("/copilot_internal/user") { request, context in try await exchange.copilotUser(request, context) }
    router.get("/copilot_internal/v2/token") { request, context in try await exchange.copilotToken(request, context) }
    router.get("/models") { request, context in try await exchange.models(request, context) }
    router.post("/chat/completions") { request, context in try await exchange.chatCompletions(request, context) }
    router.post("/responses") { request, context in try await exchange.responses(request, context) }
    router.post("/v1/messages") { request, context in try await exchange.messages(request, context) }
    router.post("/embeddings") { request, context in try await exchange.embeddings(request, context) }
    guard scenarioControl else { return router }
    router.get("/_standin/requests") { _, _ in await exchange.requestLog() }
    router.delete("/_standin/requests") { _, _ in
        await state.clearLog()
        return Response(status: .noContent)
    }
    router.get("/_standin/stats") { _, _ in
        let counts = await state.streamCounts
        let body: JSONValue = [
            "streams_started": .int(counts.started), "streams_completed": .int(counts.completed), "streams_aborted": .int(counts.aborted),
            "token_exchanges": .int(await state.tokenExchangeCount),
        ]
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: body.encoded()))
        )
    }
    router.put("/_standin/scenario") { request, context in try await exchange.setScenario(request, context) }
    router.post("/_standin/expire-tokens") { _, _ in
        await state.expireCopilotTokens()
        return Response(status: .noContent)
    }
    return router
}

/// The stand-in's request handlers.
struct StandInExchange: Sendable {
    /// The scenario, log and tokens the handlers read and change.
    let state: StandInState

    /// Reads and logs a request; answers a scripted `status` fault or waits out a `delay` fault.
    private func receive(
        _ request: Request,
        _ context: BasicRequestContext
    ) async throws -> (body: [UInt8], call: Int, fault: StandInFault?, early: Response?) {
        var request = request
        let buffer = try await request.collectBody(upTo: 256 << 20)
        let body = Array(buffer: buffer)
        let headers = request.headers.map { ($0.name.canonicalName.lowercased(), $0.value) }
        let (call, fault) = await state.record(
            RecordedRequest(method: request.method.rawValue, path: request.uri.path, headers: headers, body: body)
        )
        guard let fault else { return (body, call, nil, nil) }
        switch fault.action {
        case .status:
            var fields: HTTPFields = [.contentType: "application/json"]
            if let retryAfter = fault.retryAfter { fields[.retryAfter] = retryAfter }
            let text =
                fault.body
                ?? #"{"error":{"message":"stand-in fault \#(fault.status)","type":"stand_in_error","code":"stand_in_\#(fault.status)"}}"#
            return (
                body, call, fault,
                Response(status: .init(code: fault.status), headers: fields, body: .init(byteBuffer: ByteBuffer(string: text)))
            )
        case .delay:
            try await Task.sleep(for: .milliseconds(fault.delayMilliseconds))
            return (body, call, nil, nil)
        default:
            return (body, call, fault, nil)
        }
    }

    private func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: value.encoded())))
    }

    private func form(_ body: [UInt8]) -> [String: String] {
        FormEncoding.decode(String(decoding: body, as: UTF8.self))
    }

    private func githubToken(_ request: Request) async -> String? {
        guard let value = request.headers[.authorization], value.hasPrefix("token ") else { return nil }
        let token = String(value.dropFirst(6))
        return await state.scenario.acceptedGitHubTokens.contains(token) ? token : nil
    }

    private var unauthorized: Response {
        json(["message": "Bad credentials", "documentation_url": "https://docs.github.com/rest"], status: .unauthorized)
    }

    /// GitHub's device-code request: a fixed device and user code, with the scenario's expiry and interval.
    func deviceCode(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (body, _, _, early) = try await receive(request, context)
        if let early { return early }
        guard form(body)["client_id"] != nil else { return json(["error": "unauthorized_client"], status: .badRequest) }
        let scenario = await state.scenario
        return json([
            "device_code": "standin-device-code", "user_code": "ABCD-1234", "verification_uri": "https://github.com/login/device",
            "expires_in": .int(scenario.deviceExpiresIn), "interval": .int(scenario.deviceInterval),
        ])
    }

    /// GitHub's device-flow poll: the scenario's next pending outcome, else an accepted GitHub token.
    func devicePoll(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (body, _, _, early) = try await receive(request, context)
        if let early { return early }
        let fields = form(body)
        guard fields["device_code"] == "standin-device-code", fields["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code" else {
            return json(["error": "bad_verification_code", "error_description": "The device code is wrong."])
        }
        if let outcome = await state.nextPollOutcome() {
            return json(["error": .string(outcome), "error_description": .string("stand-in: \(outcome)"), "interval": 5])
        }
        let token = await state.scenario.acceptedGitHubTokens.first ?? StandInScenario.githubToken
        return json(["access_token": .string(token), "token_type": "bearer", "scope": "read:user copilot"])
    }

    /// GitHub's `/user`: the scenario's login, for an accepted GitHub token.
    func user(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        if let early = try await receive(request, context).early { return early }
        guard await githubToken(request) != nil else { return unauthorized }
        return json(["login": .string(await state.scenario.login), "id": 1, "type": "User"])
    }

    /// `/copilot_internal/user`: the scenario's Copilot plan, for an accepted GitHub token.
    func copilotUser(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        if let early = try await receive(request, context).early { return early }
        guard await githubToken(request) != nil else { return unauthorized }
        var document: [String: JSONValue] = [
            "login": .string(await state.scenario.login), "copilot_plan": .string(await state.scenario.copilotPlan), "chat_enabled": true,
            "access_type_sku": "plus_monthly_subscriber_quota", "quota_reset_date": .string(Self.firstOfNextMonth()),
            "quota_reset_date_utc": .string(Self.firstOfNextMonth() + "T00:00:00.000Z"),
        ]
        switch await state.scenario.quota {
        case "none": break
        case "unlimited":
            document["quota_snapshots"] = .object(
                Dictionary(
                    uniqueKeysWithValues: ["chat", "completions", "premium_interactions"].map { ($0, Self.snapshot($0, unlimited: true)) }
                )
            )
        default:
            document["quota_snapshots"] = [
                "chat": Self.snapshot("chat", unlimited: true), "completions": Self.snapshot("completions", unlimited: true),
                "premium_interactions": [
                    "entitlement": 300, "remaining": 211, "quota_remaining": 211.5, "percent_remaining": 70.5, "unlimited": false,
                    "overage_count": 0, "overage_permitted": true, "quota_id": "premium_interactions",
                    "timestamp_utc": .string(Timestamp.iso8601(Date())),
                ],
            ]
        }
        return json(.object(document))
    }

    /// A snapshot as GitHub sends an unlimited one.
    private static func snapshot(_ name: String, unlimited: Bool) -> JSONValue {
        [
            "entitlement": 0, "remaining": 0, "quota_remaining": 0.0, "percent_remaining": 100.0, "unlimited": .bool(unlimited),
            "overage_count": 0, "overage_permitted": false, "quota_id": .string(name), "timestamp_utc": .string(Timestamp.iso8601(Date())),
        ]
    }

    /// `YYYY-MM-DD` of the first day of next month (UTC), when Copilot quotas reset.
    private static func firstOfNextMonth() -> String {
        let today = Timestamp.iso8601(Date())
        guard let year = Int(today.prefix(4)), let month = Int(today.dropFirst(5).prefix(2)) else { return today.prefix(10).description }
        let (nextYear, nextMonth) = month == 12 ? (year + 1, 1) : (year, month + 1)
        return "\(nextYear)-\(nextMonth < 10 ? "0" : "")\(nextMonth)-01"
    }

    /// The Copilot token exchange: a new Copilot token whose API endpoint is this stand-in.
    func copilotToken(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        if let early = try await receive(request, context).early { return early }
        guard await githubToken(request) != nil else { return unauthorized }
        let token = await state.issueCopilotToken()
        let refreshIn = await state.scenario.copilotTokenRefreshIn
        let host = request.head.authority ?? "127.0.0.1"
        return json([
            "token": .string(token), "refresh_in": .int(refreshIn), "expires_at": .int(Int(Date().timeIntervalSince1970) + refreshIn + 300),
            "endpoints": ["api": .string("http://\(host)")], "chat_enabled": true, "sku": "free_standin",
        ])
    }

    private func copilotAuthorized(_ request: Request) async -> Bool {
        guard let value = request.headers[.authorization], value.hasPrefix("Bearer ") else { return false }
        return await state.isValidCopilotToken(String(value.dropFirst(7)))
    }

    private var copilotUnauthorized: Response {
        json(["error": ["message": "unauthorized: token expired", "code": "unauthorized"]], status: .unauthorized)
    }

    /// Copilot's `/models`: the stand-in catalog, for a valid Copilot token.
    func models(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        if let early = try await receive(request, context).early { return early }
        guard await copilotAuthorized(request) else { return copilotUnauthorized }
        return json(StandInCatalog.models)
    }

    /// A model call the stand-in refuses; Hummingbird sends its answer.
    struct Refusal: Error, HTTPResponseError {
        /// The answer to send.
        let answer: Response

        /// The answer's status.
        var status: HTTPResponse.Status { answer.status }

        /// The answer itself.
        func response(from request: Request, context: some RequestContext) throws -> Response { answer }
    }

    /// Reads a model call: the body, its JSON object, the call number and the stream fault still to apply.
    /// Throws a `Refusal` for a scripted status, a bad token, a body that is not a JSON object, or a model Copilot
    /// does not serve on this path.
    private func receiveModelCall(
        _ request: Request,
        _ context: BasicRequestContext
    ) async throws -> ([UInt8], JSONValue, Int, StandInFault?) {
        let (body, call, fault, early) = try await receive(request, context)
        if let early { throw Refusal(answer: early) }
        guard await copilotAuthorized(request) else { throw Refusal(answer: copilotUnauthorized) }
        guard let payload = try? JSONValue.parse(body), payload.objectValue != nil else {
            throw Refusal(answer: json(["error": ["message": "invalid JSON body", "code": "invalid_request_body"]], status: .badRequest))
        }
        if let refusal = StandInRefusals.model(payload["model"]?.stringValue, path: request.uri.path) {
            let error: JSONValue = [
                "message": .string(refusal.message), "code": .string(refusal.code), "param": "model", "type": "invalid_request_error",
            ]
            throw Refusal(answer: json(["error": error], status: .badRequest))
        }
        return (body, payload, call, fault)
    }

    /// Copilot's `/chat/completions`: the stand-in chat answer, whole or streamed.
    func chatCompletions(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (body, payload, call, fault) = try await receiveModelCall(request, context)
        if let rejection = StandInChatReply.rejection(for: payload) {
            return json(["error": ["message": .string(rejection), "code": "invalid_request_body"]], status: .badRequest)
        }
        let reply = StandInChatReply(request: payload, body: body, sequence: call)
        guard payload["stream"]?.boolValue == true else { return json(reply.completion) }
        let delay = await state.scenario.streamEventDelayMilliseconds
        return StandInStream.response(
            events: reply.chunks.map { "data: \($0.jsonString())\n\n" } + ["data: [DONE]\n\n"],
            fault: fault,
            delayMilliseconds: delay,
            state: state
        )
    }

    /// Copilot's native `/v1/messages`: the stand-in Anthropic answer, whole or streamed; `anthropic-version` is required.
    func messages(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (body, payload, call, fault) = try await receiveModelCall(request, context)
        guard request.headers[HTTPField.Name("anthropic-version")!] != nil else {
            return json(
                ["type": "error", "error": ["type": "invalid_request_error", "message": "anthropic-version header is required"]],
                status: .badRequest
            )
        }
        let betas = request.headers[HTTPField.Name("anthropic-beta")!]
        if let rejection = StandInRefusals.messages(payload, betas: betas) ?? StandInMessagesReply.rejection(for: payload) {
            return json(["type": "error", "error": ["type": "invalid_request_error", "message": .string(rejection)]], status: .badRequest)
        }
        let reply = StandInMessagesReply(request: payload, body: body, sequence: call)
        guard payload["stream"]?.boolValue == true else { return json(reply.message) }
        let delay = await state.scenario.streamEventDelayMilliseconds
        return StandInStream.response(events: reply.events, fault: fault, delayMilliseconds: delay, state: state)
    }

    /// Copilot's `/responses`: the stand-in Responses answer, whole or streamed.
    func responses(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (body, payload, call, fault) = try await receiveModelCall(request, context)
        if let rejection = StandInResponsesReply.rejection(for: payload) {
            return json(["error": ["message": .string(rejection), "code": "invalid_request_body"]], status: .badRequest)
        }
        let reply = StandInResponsesReply(request: payload, body: body, sequence: call)
        guard payload["stream"]?.boolValue == true else { return json(reply.response()) }
        let delay = await state.scenario.streamEventDelayMilliseconds
        if let fault, fault.action == .failEarly {
            return StandInStream.response(
                events: StandInResponsesReply.earlyFailure(sequence: call, diagnostic: fault.body),
                fault: nil,
                delayMilliseconds: delay,
                state: state
            )
        }
        return StandInStream.response(events: reply.events, fault: fault, delayMilliseconds: delay, state: state)
    }

    /// Copilot's `/embeddings`: a small made-up vector for each input, derived from its text.
    func embeddings(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        let (_, payload, _, _) = try await receiveModelCall(request, context)
        guard let inputs = payload["input"]?.arrayValue else {
            return json(["error": ["message": "input must be a list", "code": "invalid_request_body"]], status: .badRequest)
        }
        let data = inputs.enumerated().map { index, input -> JSONValue in
            let seed = Double(input.jsonString().utf8.reduce(0) { ($0 &* 31 &+ Int($1)) % 1000 })
            return ["object": "embedding", "index": .int(index), "embedding": .array((0..<8).map { .double((seed + Double($0)) / 1000) })]
        }
        let tokens = JSONValue.int(payload.jsonString().utf8.count / 4)
        return json([
            "object": "list", "data": .array(data), "model": payload["model"] ?? .null,
            "usage": ["prompt_tokens": tokens, "total_tokens": tokens],
        ])
    }

    /// `GET /_standin/requests`: every logged request with its method, path, headers and body.
    func requestLog() async -> Response {
        let entries = await state.requests.map { entry -> JSONValue in
            [
                "method": .string(entry.method), "path": .string(entry.path),
                "headers": .object(
                    Dictionary(entry.headers.map { ($0.0, JSONValue.string($0.1)) }, uniquingKeysWith: { first, _ in first })
                ),
                "body": .string(entry.bodyText),
            ]
        }
        return json(.array(entries))
    }

    /// `PUT /_standin/scenario`: replaces the scenario with the JSON body; 400 when it does not decode.
    func setScenario(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        var request = request
        let buffer = try await request.collectBody(upTo: 1 << 20)
        do {
            let scenario = try JSONDecoder().decode(StandInScenario.self, from: Data(buffer.readableBytesView))
            await state.setScenario(scenario)
            return Response(status: .noContent)
        } catch {
            return json(["error": .string("invalid scenario: \(error)")], status: .badRequest)
        }
    }
}

/// Writes a scripted SSE stream, applying a stream fault.
enum StandInStream {
    /// Thrown by a `dropMidStream` fault to cut the connection; the stream is counted neither completed nor aborted.
    struct Dropped: Error {}

    /// A response that streams `events`, paced by `delayMilliseconds` and broken by `fault`, counted in `state`.
    static func response(events: [String], fault: StandInFault?, delayMilliseconds: Int, state: StandInState) -> Response {
        Response(
            status: .ok,
            headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
            body: ResponseBody { writer in
                await state.countStream(.started)
                do {
                    try await write(events, fault: fault, delayMilliseconds: delayMilliseconds, to: &writer)
                } catch is Dropped {
                    throw Dropped()
                } catch {
                    await state.countStream(.aborted)
                    throw error
                }
                await state.countStream(.completed)
            }
        )
    }

    private static func write(
        _ events: [String],
        fault: StandInFault?,
        delayMilliseconds: Int,
        to writer: inout any ResponseBodyWriter
    ) async throws {
        for (index, event) in events.enumerated() {
            if let fault, index == fault.afterEvents {
                switch fault.action {
                case .dropMidStream:
                    // Let the events already written leave the socket first: an abrupt close can discard
                    // buffered bytes, and the drop must come after them, as a real upstream's would.
                    try await Task.sleep(for: .milliseconds(50))
                    throw Dropped()
                case .malformedLine: try await writer.write(ByteBuffer(string: "data: {this is not json\n\n"))
                case .stall: try await Task.sleep(for: .milliseconds(fault.delayMilliseconds))
                default: break
                }
            }
            if delayMilliseconds > 0, index > 0 { try await Task.sleep(for: .milliseconds(delayMilliseconds)) }
            try await writer.write(ByteBuffer(string: event))
        }
        try await writer.finish(nil)
    }
}
