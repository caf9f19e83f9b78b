import GHCCore
import HTTPTypes
import Hummingbird
import NIOCore

/// The error format a client expects: the dialect of the route it called.
package enum APIDialect: Sendable {
    /// `{"error": {"message", "type", "param", "code"}}`
    case openAI
    /// `{"type": "error", "error": {"type", "message"}}`
    case anthropic

    /// Anthropic's for the Messages routes (`/v1/messages…`, `/messages…`), else OpenAI's.
    package static func of(path: String) -> APIDialect {
        path.hasPrefix("/v1/messages") || path.hasPrefix("/messages") ? .anthropic : .openAI
    }

    /// The dialect's name in metrics: `anthropic` or `openai`.
    package var name: String { self == .anthropic ? "anthropic" : "openai" }
}

/// An error answered to an API client in its own format, never a stack trace or an HTML page.
package struct ProxyError: Error, HTTPResponseError, CustomStringConvertible {
    /// The HTTP status.
    package let status: HTTPResponse.Status
    /// The OpenAI `type` (`invalid_request_error`, `upstream_error`, …).
    package let type: String
    /// The OpenAI `code`, such as `invalid_json`.
    package let code: String?
    /// What went wrong, for a person.
    package let message: String
    /// The request field at fault, if any.
    package let param: String?
    /// Extra headers, such as `Retry-After`.
    package var headers: HTTPFields
    /// The format of the body.
    package var dialect: APIDialect

    /// Creates an error.
    package init(
        _ status: HTTPResponse.Status,
        type: String,
        code: String? = nil,
        message: String,
        param: String? = nil,
        headers: HTTPFields = [:],
        dialect: APIDialect = .openAI
    ) {
        self.status = status
        self.type = type
        self.code = code
        self.message = message
        self.param = param
        self.headers = headers
        self.dialect = dialect
    }

    /// `status: message`
    package var description: String { "\(status.code) \(message)" }

    /// The error body in the client's dialect.
    package var body: JSONValue {
        switch dialect {
        case .openAI:
            var error: [String: JSONValue] = ["message": .string(message), "type": .string(type)]
            error["code"] = code.map(JSONValue.string) ?? .null
            error["param"] = param.map(JSONValue.string) ?? .null
            return ["error": .object(error)]
        case .anthropic:
            return ["type": "error", "error": ["type": .string(Self.anthropicType(for: status.code)), "message": .string(message)]]
        }
    }

    /// Anthropic's error type for an HTTP status.
    package static func anthropicType(for status: Int) -> String {
        switch status {
        case 400, 422: "invalid_request_error"
        case 401: "authentication_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 529, 503: "overloaded_error"
        default: "api_error"
        }
    }

    /// Renders the error as a JSON response.
    package func response(from request: Request, context: some RequestContext) throws -> Response {
        response
    }

    /// The error as a JSON response with its headers.
    package var response: Response {
        var fields = headers
        fields[.contentType] = "application/json"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: JSONWriter.bytes(body))))
    }

    /// A request the proxy cannot use: 400 `invalid_request_error`.
    package static func invalidRequest(_ message: String, code: String, param: String? = nil) -> ProxyError {
        ProxyError(.badRequest, type: "invalid_request_error", code: code, message: message, param: param)
    }

    /// No usable GitHub login: 401 with what to run.
    package static func notAuthenticated(_ detail: String) -> ProxyError {
        ProxyError(.unauthorized, type: "authentication_error", code: "github_login_required", message: detail)
    }

    /// This error in another dialect.
    package func `in`(_ dialect: APIDialect) -> ProxyError {
        var copy = self
        copy.dialect = dialect
        return copy
    }
}
