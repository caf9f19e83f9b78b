import GHCCore
import GHCHTTP
import GHCUpstream
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /v1/models` and `GET /v1/models/{id}`: Copilot's catalog in the OpenAI list shape, with Copilot's metadata.
struct ModelList: Sendable {
    /// The services whose catalog and model mappings are read.
    let services: ProxyServices

    /// `GET /v1/models`: every catalog model as an OpenAI list.
    func list() async throws(ProxyError) -> Response {
        let snapshot = try await catalog()
        let data = snapshot.models.map(Self.entry)
        return JSONResponse.make(["object": "list", "has_more": false, "data": .array(data)])
    }

    /// `GET /v1/models/{id}`: one model, looked up by its id and then as a request for it would resolve it; 404 when
    /// neither finds it.
    func model(id: String) async throws(ProxyError) -> Response {
        let snapshot = try await catalog()
        var found = snapshot.model(id: id)
        if found == nil { found = try await services.resolve(id).entry }
        guard let model = found else {
            throw ProxyError(
                .notFound,
                type: "invalid_request_error",
                code: "model_not_found",
                message: "Model '\(id)' not found.",
                param: "model"
            )
        }
        return JSONResponse.make(Self.entry(model))
    }

    private func catalog() async throws(ProxyError) -> ModelCatalogSnapshot {
        do {
            return try await services.catalog.snapshot()
        } catch {
            switch error {
            case .notLoggedIn, .githubTokenRejected: throw .notAuthenticated(error.description)
            default: throw ProxyError(.badGateway, type: "upstream_error", code: "model_catalog_unavailable", message: error.description)
            }
        }
    }

    /// One model in the OpenAI shape plus Copilot's fields (as ghc-api 1.0.31 composes them).
    static func entry(_ model: CopilotModel) -> JSONValue {
        func number(_ value: Int?) -> JSONValue { value.map(JSONValue.int) ?? .null }
        let supports = model.raw["capabilities"]?["supports"]
        let input: JSONValue =
            model.vision
            ? ["text", "image"] : (model.type == "chat" || model.type == "embeddings" || supports?["vision"] != nil ? ["text"] : .null)
        let reasoning = supports?["reasoning"]?.boolValue ?? !model.reasoningEfforts.isEmpty
        return [
            "id": .string(model.id), "object": "model", "type": "model", "created": 0, "created_at": "1970-01-01T00:00:00Z",
            "owned_by": .string(model.vendor), "display_name": .string(model.name), "model_type": model.type.map(JSONValue.string) ?? .null,
            "context_window": number(model.contextWindow), "max_input_tokens": number(model.maxPromptTokens),
            "max_output_tokens": number(model.maxOutputTokens),
            "input": input, "reasoning": .bool(reasoning),
            "reasoning_efforts": model.reasoningEfforts.isEmpty ? .null : .array(model.reasoningEfforts.map(JSONValue.string)),
            "tool_calls": supports?["tool_calls"] ?? .null, "streaming": supports?["streaming"] ?? .null,
            "supported_endpoints": .array(model.supportedEndpoints.map(JSONValue.string)), "preview": .bool(model.preview),
            "capabilities": model.raw["capabilities"] ?? .null, "billing": model.raw["billing"] ?? .null,
        ]
    }

}
