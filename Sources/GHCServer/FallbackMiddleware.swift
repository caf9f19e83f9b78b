import GHCCore
import GHCHTTP
import GHCProxy
import HTTPTypes
import Hummingbird

/// Answers requests no route takes in the caller's format, never with an empty body:
/// - a known API path called with the wrong method: 405 with `Allow`;
/// - an unknown `/v1/messages…` path: Anthropic's error shape; another `/v1/…` path: OpenAI's;
/// - anything else: `{"error": "Not found"}`, as ghc-api 1.0.31 answered.
struct FallbackMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The method each API path takes (without and with `/v1`).
    static var apiMethods: [String: HTTPRequest.Method] {
        var methods: [String: HTTPRequest.Method] = [:]
        for path in OpenAIRoutes.postPaths + AnthropicRoutes.postPaths { methods[path] = .post }
        for path in OpenAIRoutes.getPaths + HealthRoutes.paths { methods[path] = .get }
        return methods
    }

    /// Passes the request on; turns the router's "not found" into an answer in the caller's format.
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return Self.answer(method: request.method, path: request.uri.path)
        }
    }

    /// The answer to `method path` when no route takes it.
    static func answer(method: HTTPRequest.Method, path: String) -> Response {
        let dialect: APIDialect? =
            APIDialect.of(path: path) == .anthropic ? .anthropic : path.hasPrefix("/v1/") || apiMethods[path] != nil ? .openAI : nil
        guard let dialect else { return JSONResponse.make(["error": "Not found"], status: .notFound) }
        if let allowed = apiMethods[path], allowed != method {
            let error = ProxyError(
                .methodNotAllowed,
                type: "invalid_request_error",
                code: "method_not_allowed",
                message: "\(method.rawValue) is not allowed on \(path); use \(allowed.rawValue)",
                headers: [.allow: allowed.rawValue],
                dialect: dialect
            )
            return error.response
        }
        let error = ProxyError(
            .notFound,
            type: "invalid_request_error",
            code: "not_found",
            message: "no route for \(method.rawValue) \(path)",
            dialect: dialect
        )
        return error.response
    }
}
