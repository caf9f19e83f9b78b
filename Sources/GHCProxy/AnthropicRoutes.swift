import GHCCore
import GHCTranslation
import GHCUpstream
import HTTPTypes
import Hummingbird
import Logging
import NIOCore

/// The Anthropic Messages routes: `/v1/messages` (native pass-through, or translated through Chat Completions
/// or Responses by the model's `supported_endpoints`) and `/v1/messages/count_tokens`.
package struct AnthropicRoutes: Sendable {
    /// The configuration, Copilot client, catalog and recorder the routes use.
    let services: ProxyServices
    private var forwarding: ProxyForwarding { ProxyForwarding(services: services) }

    /// Creates the routes over `services`.
    package init(services: ProxyServices) {
        self.services = services
    }

    /// The POST paths these routes serve.
    package static let postPaths = ["/v1", ""].flatMap { prefix in ["messages", "messages/count_tokens"].map { "\(prefix)/\($0)" } }

    /// Adds the routes to `router`.
    package func add<Context: ProxyRequestContext>(to router: Router<Context>) {
        for prefix in ["/v1", ""] {
            router.post("\(prefix)/messages") { request, context in try await messages(request, caller: Caller.of(request, context)) }
            router.post("\(prefix)/messages/count_tokens") { request, _ in try await countTokens(request) }
        }
    }

    /// `POST /v1/messages`: forwarded as is when the model speaks Messages, else translated through Responses or Chat Completions.
    func messages(_ request: Request, caller: Caller) async throws(ProxyError) -> Response {
        var request = request
        let config = services.config.current
        await services.recorder.room()
        let body = try await JSONRequestBody.read(&request, limit: config.maxRequestBodySize, dialect: .anthropic)
        let model = try body.model(dialect: .anthropic)
        guard body.json["messages"]?.arrayValue != nil else {
            throw ProxyError.invalidRequest("`messages` is required and must be a list", code: "invalid_request", param: "messages").in(
                .anthropic
            )
        }
        let (mapped, catalogModel) = try await services.resolve(model, for: request, caller: caller, body: body, dialect: .anthropic)
        var anthropic = body.json.objectValue ?? [:]
        AnthropicShaping.shape(&anthropic, filters: config.contentFilters)
        CopilotMessagesCompatibility.clampMaxTokens(&anthropic, limit: catalogModel?.maxOutputTokens)
        let messages = anthropic["messages"]?.arrayValue ?? []
        let initiator = BillingSignals.initiator(messages: messages)
        let vision = BillingSignals.hasImages(messages: messages)
        let exchange = ClientExchange(request: request, caller: caller, body: body, model: model, mapped: mapped)
        let label = exchange.label
        let stream = body.wantsStream

        if catalogModel?.speaksMessages == true {
            anthropic["model"] = .string(mapped)
            let changed = CopilotMessagesCompatibility.shape(&anthropic, passSystemMessages: config.passesSystemMessages)
            if !changed.isEmpty { services.logger.debug("shaped for Copilot's /v1/messages: \(changed.joined(separator: ", "))") }
            NativeMessagesShaping.shapeThinking(&anthropic, model: catalogModel)
            var headers = [("anthropic-version", "2023-06-01")]
            if let betas = NativeMessagesShaping.betaHeader(request.headers[HTTPField.Name("anthropic-beta")!]) {
                headers.append(("anthropic-beta", betas))
            }
            let call = CopilotCall(
                path: "/v1/messages",
                body: JSONWriter.bytes(.object(anthropic)),
                initiator: initiator,
                vision: vision,
                extraHeaders: headers
            )
            return try await forwarding.forward(
                call,
                exchange: exchange,
                stream: stream,
                grammar: AnthropicGrammar(),
                dialect: .anthropic,
                label: label
            )
        }

        let fold: @Sendable ([AnthropicEvent]) -> Result<JSONValue, ProxyError> = { events in
            var builder = AnthropicMessageBuilder()
            for event in events { builder.apply(event) }
            if let error = builder.error {
                return .failure(
                    ProxyError(
                        .badGateway,
                        type: "api_error",
                        message: error["message"]?.stringValue ?? "the upstream answer failed",
                        dialect: .anthropic
                    )
                )
            }
            return .success(builder.result)
        }
        do {
            if catalogModel?.speaksResponses == true, catalogModel?.speaksChat != true {
                let translated = try AnthropicToResponses.request(anthropic, model: mapped, efforts: catalogModel?.reasoningEfforts ?? [])
                let call = CopilotCall(path: "/responses", body: JSONWriter.bytes(translated), initiator: initiator, vision: vision)
                let translator = ResponsesToAnthropicTranslator(machine: ResponsesToAnthropicStream(model: model))
                return try await forwarding.forwardTranslated(
                    call,
                    exchange: exchange,
                    stream: stream,
                    translator: translator,
                    dialect: .anthropic,
                    label: label + " via responses",
                    replaysEarlyFailures: true,
                    fold: fold
                )
            }
            let translated = try AnthropicToChat.request(anthropic, model: mapped, efforts: catalogModel?.reasoningEfforts ?? [])
            let call = CopilotCall(path: "/chat/completions", body: JSONWriter.bytes(translated), initiator: initiator, vision: vision)
            let stops = anthropic["stop_sequences"]?.arrayValue?.compactMap(\.stringValue) ?? []
            let translator = ChatToAnthropicTranslator(machine: ChatToAnthropicStream(model: model, stopSequences: stops))
            return try await forwarding.forwardTranslated(
                call,
                exchange: exchange,
                stream: stream,
                translator: translator,
                dialect: .anthropic,
                label: label + " via chat",
                fold: fold
            )
        } catch let error as TranslationError {
            throw ProxyError.invalidRequest(error.description, code: "invalid_request").in(.anthropic)
        } catch let error as ProxyError {
            throw error
        } catch {
            throw ProxyError(.internalServerError, type: "api_error", message: "\(error)", dialect: .anthropic)
        }
    }

    /// `POST /v1/messages/count_tokens`: an estimate of the filtered request's input tokens, made locally.
    func countTokens(_ request: Request) async throws(ProxyError) -> Response {
        var request = request
        let config = services.config.current
        let body = try await JSONRequestBody.read(&request, limit: config.maxRequestBodySize, dialect: .anthropic)
        _ = try body.model(dialect: .anthropic)
        var anthropic = body.json.objectValue ?? [:]
        AnthropicShaping.shape(&anthropic, filters: config.contentFilters)
        let count = TokenEstimator.count(anthropic)
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(["input_tokens": .int(count)])))
        )
    }
}

extension GHCConfig {
    /// The content filters this configuration names.
    var contentFilters: ContentFilters {
        ContentFilters(
            systemPromptRemove: systemPromptRemove,
            systemPromptAdd: systemPromptAdd,
            toolResultSuffixRemove: toolResultSuffixRemove
        )
    }
}
