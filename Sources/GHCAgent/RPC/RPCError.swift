import GHCCore

/// A JSON-RPC 2.0 error object, sent to the agent or received from it.
package struct RPCError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The error code (`-32601` method not found, `-32002` resource not found, …).
    package var code: Int
    /// The message.
    package var message: String
    /// Extra detail, if any.
    package var data: JSONValue?

    /// Creates an error.
    package init(code: Int, message: String, data: JSONValue? = nil) {
        self.code = code
        self.message = message
        self.data = data
    }

    /// The error as the `error` member of a response.
    package var json: JSONValue {
        var object: [String: JSONValue] = ["code": .int(code), "message": .string(message)]
        if let data { object["data"] = data }
        return .object(object)
    }

    /// `JSON-RPC error <code>: <message>`, with the data when there is some.
    package var description: String {
        "JSON-RPC error \(code): \(message)" + (data.map { " | data: \($0.jsonString())" } ?? "")
    }

    /// -32700: the line is not JSON.
    package static func parse(_ detail: String) -> RPCError { RPCError(code: -32700, message: "Parse error: \(detail)") }
    /// -32600: not a JSON-RPC message.
    package static func invalidRequest(_ detail: String) -> RPCError { RPCError(code: -32600, message: "Invalid request: \(detail)") }
    /// -32601: this client has no such method.
    package static func methodNotFound(_ method: String) -> RPCError {
        RPCError(code: -32601, message: "Method not found: \(method)", data: ["method": .string(method)])
    }
    /// -32602: the params are wrong.
    package static func invalidParams(_ detail: String) -> RPCError { RPCError(code: -32602, message: "Invalid params: \(detail)") }
    /// -32603: the client failed.
    package static func internalError(_ detail: String) -> RPCError { RPCError(code: -32603, message: "Internal error: \(detail)") }
    /// -32002: a file or terminal that does not exist, or may not be reached.
    package static func resourceNotFound(_ detail: String, uri: String? = nil) -> RPCError {
        RPCError(code: -32002, message: "Resource not found: \(detail)", data: uri.map { ["uri": .string($0)] })
    }
}
