import GHCCore
import GHCTranslation
import GHCUpstream
import Hummingbird

/// The OpenAI-compatible routes: chat completions, models, responses and embeddings, each with and without `/v1`.
package struct OpenAIRoutes: Sendable {
    /// The configuration, Copilot client, catalog and recorder the routes use.
    let services: ProxyServices
    private var forwarding: ProxyForwarding { ProxyForwarding(services: services) }

    /// Creates the routes over `services`.
    package init(services: ProxyServices) {
        self.services = services
    }

    /// The POST paths these routes serve.
    package static let postPaths = ["/v1", ""].flatMap { prefix in
        ["chat/completions", "responses", "embeddings"].map { "\(prefix)/\($0)" }
    }
    /// The GET paths these routes serve (a model's own path is `…/models/ID`).
    package static let getPaths = ["/v1/models", "/models"]

    /// Adds the routes to `router`.
    package func add<Context: ProxyRequestContext>(to router: Router<Context>) {
        for prefix in ["/v1", ""] {
            router.post("\(prefix)/chat/completions") { request, context in
                try await chatCompletions(request, caller: Caller.of(request, context))
            }
            router.post("\(prefix)/responses") { request, context in try await responses(request, caller: Caller.of(request, context)) }
            router.post("\(prefix)/embeddings") { request, context in try await embeddings(request, caller: Caller.of(request, context)) }
            router.get("\(prefix)/models") { _, _ in try await ModelList(services: services).list() }
            router.get("\(prefix)/models/**") { _, context in
                try await ModelList(services: services).model(id: context.parameters.getCatchAll().joined(separator: "/"))
            }
        }
    }

    /// `POST /v1/chat/completions`: forwarded with the mapped model (without `service_tier`), or through Responses for a model served only there.
    func chatCompletions(_ request: Request, caller: Caller) async throws(ProxyError) -> Response {
        var request = request
        let (body, model, mapped, catalogModel) = try await readMapped(&request, caller: caller)
        let exchange = ClientExchange(request: request, caller: caller, body: body, model: model, mapped: mapped)
        var bytes = mapped == model ? body.bytes : body.replacing("model", with: .string(mapped))
        if body.json["service_tier"] != nil {
            // Copilot rejects `service_tier`: rewrite from the parsed body rather than parse the bytes again.
            var members = body.json.objectValue ?? [:]
            members["model"] = .string(mapped)
            members["service_tier"] = nil
            bytes = JSONWriter.bytes(.object(members))
        }
        let messages = body.json["messages"]?.arrayValue ?? []
        if let catalogModel, catalogModel.speaksResponses, !catalogModel.speaksChat {
            return try await chatThroughResponses(exchange, messages: messages)
        }
        let call = CopilotCall(
            path: "/chat/completions",
            body: bytes,
            initiator: BillingSignals.initiator(messages: messages),
            vision: BillingSignals.hasImages(messages: messages)
        )
        return try await forwarding.forward(
            call,
            exchange: exchange,
            stream: body.wantsStream,
            grammar: ChatCompletionsGrammar(),
            dialect: .openAI,
            label: exchange.label
        )
    }

    /// Chat Completions for a model Copilot serves only on `/responses`: translated both ways.
    private func chatThroughResponses(_ exchange: ClientExchange, messages: [JSONValue]) async throws(ProxyError) -> Response {
        let (body, model, mapped) = (exchange.body, exchange.model, exchange.mapped)
        let translated: JSONValue
        do {
            translated = try ChatToResponses.request(body.json.objectValue ?? [:], model: mapped)
        } catch {
            throw ProxyError.invalidRequest(error.description, code: "invalid_request")
        }
        let call = CopilotCall(
            path: "/responses",
            body: JSONWriter.bytes(translated),
            initiator: BillingSignals.initiator(messages: messages),
            vision: BillingSignals.hasImages(messages: messages)
        )
        let translator = ResponsesToChatTranslator(
            machine: ResponsesToChatStream(model: model, id: "chatcmpl-\(UInt64.random(in: 0...UInt64.max))")
        )
        return try await forwarding.forwardTranslated(
            call,
            exchange: exchange,
            stream: body.wantsStream,
            translator: translator,
            dialect: .openAI,
            label: exchange.label + " via responses"
        ) { items in
            var builder = ChatCompletionBuilder()
            for item in items {
                switch item {
                case .chunk(let chunk): builder.apply(chunk)
                case .done: break
                case .error(let message):
                    return .failure(ProxyError(.badGateway, type: "upstream_error", code: "upstream_stream_failed", message: message))
                }
            }
            return .success(builder.result)
        }
    }

    /// `POST /v1/responses`: forwarded with the mapped model; 400 when the catalog says the model is not served on the
    /// Responses API (a model the catalog does not know is tried: the catalog can lag).
    func responses(_ request: Request, caller: Caller) async throws(ProxyError) -> Response {
        var request = request
        let (body, model, mapped, catalogModel) = try await readMapped(&request, caller: caller)
        let exchange = ClientExchange(request: request, caller: caller, body: body, model: model, mapped: mapped)
        if let catalogModel, !catalogModel.speaksResponses {
            throw ProxyError.invalidRequest(
                "model '\(mapped)' is not served on the Responses API; see GET /v1/models for supported_endpoints",
                code: "unsupported_model",
                param: "model"
            )
        }
        let input = body.json["input"]
        let call = CopilotCall(
            path: "/responses",
            body: mapped == model ? body.bytes : body.replacing("model", with: .string(mapped)),
            initiator: BillingSignals.initiator(responsesInput: input),
            vision: BillingSignals.hasImages(responsesInput: input)
        )
        var recover: (@Sendable (JSONValue?) -> CopilotCall?)?
        if services.config.current.removesUndecryptableContent {
            let sent =
                body.json.objectValue.map { members in JSONValue.object(members.merging(["model": .string(mapped)]) { $1 }) } ?? body.json
            recover = { error in
                guard ResponsesRecovery.isUndecryptable(error), let stripped = ResponsesRecovery.withoutEncryptedContent(sent) else {
                    return nil
                }
                return CopilotCall(path: call.path, body: JSONWriter.bytes(stripped), initiator: call.initiator, vision: call.vision)
            }
        }
        return try await forwarding.forward(
            call,
            exchange: exchange,
            stream: body.wantsStream,
            grammar: ResponsesGrammar(),
            dialect: .openAI,
            label: exchange.label,
            replaysEarlyFailures: true,
            recover: recover
        )
    }

    /// `POST /v1/embeddings`: forwarded with `input` in the batch form Copilot accepts; 400 when the catalog names the
    /// model and it is not an embedding model.
    func embeddings(_ request: Request, caller: Caller) async throws(ProxyError) -> Response {
        var request = request
        let (body, model, mapped, catalogModel) = try await readMapped(&request, caller: caller)
        let exchange = ClientExchange(request: request, caller: caller, body: body, model: model, mapped: mapped)
        if let catalogModel, !catalogModel.isEmbedding {
            throw ProxyError.invalidRequest("model '\(mapped)' is not an embedding model", code: "unsupported_model", param: "model")
        }
        // Copilot accepts only the batch form of `input`.
        let input: JSONValue
        switch body.json["input"] {
        case .string(let text)? where !text.isEmpty: input = [.string(text)]
        case .array(let items)? where !items.isEmpty && items.allSatisfy({ $0.intValue != nil }): input = [.array(items)]
        case .array(let items)? where !items.isEmpty: input = .array(items)
        default: throw ProxyError.invalidRequest("`input` must be a non-empty string or list", code: "invalid_input", param: "input")
        }
        var members = body.json.objectValue ?? [:]
        members["model"] = .string(mapped)
        members["input"] = input
        let call = CopilotCall(path: "/embeddings", body: JSONWriter.bytes(.object(members)), initiator: "user")
        return try await forwarding.forward(
            call,
            exchange: exchange,
            stream: false,
            grammar: ChatCompletionsGrammar(),
            dialect: .openAI,
            label: exchange.label
        )
    }

    /// Reads the JSON body and resolves its model (mappings, Claude spellings, the catalog).
    private func readMapped(
        _ request: inout Request,
        caller: Caller
    ) async throws(ProxyError) -> (body: JSONRequestBody, model: String, mapped: String, entry: CopilotModel?) {
        let config = services.config.current
        await services.recorder.room()
        let body = try await JSONRequestBody.read(&request, limit: config.maxRequestBodySize, dialect: .openAI)
        let model = try body.model(dialect: .openAI)
        let (mapped, entry) = try await services.resolve(model, for: request, caller: caller, body: body, dialect: .openAI)
        return (body, model, mapped, entry)
    }
}
