import GHCCore

/// One JSON-RPC 2.0 message as it travels on a line of the agent's stdio.
package enum RPCMessage: Sendable, Equatable {
    /// A call that wants an answer; `id` is echoed back unchanged.
    case request(id: JSONValue, method: String, params: JSONValue)
    /// A call without an answer.
    case notification(method: String, params: JSONValue)
    /// The answer to a request.
    case response(id: JSONValue, result: Result<JSONValue, RPCError>)

    /// Reads one line. A line that is JSON but no JSON-RPC message gives `.invalidRequest`, with the id when there is one.
    package static func parse(_ line: some Collection<UInt8>) -> Result<RPCMessage, ParseFailure> {
        let value: JSONValue
        do {
            value = try JSONParser.parse(line)
        } catch {
            return .failure(ParseFailure(nil, .parse(error.description)))
        }
        guard let object = value.objectValue else { return .failure(ParseFailure(nil, .invalidRequest("not an object"))) }
        let id = object["id"].flatMap { $0 == .null ? nil : $0 }
        if let method = object["method"] {
            guard let name = method.stringValue else { return .failure(ParseFailure(id, .invalidRequest("method is not a string"))) }
            let params = object["params"] ?? .null
            return .success(id.map { .request(id: $0, method: name, params: params) } ?? .notification(method: name, params: params))
        }
        guard let id else { return .failure(ParseFailure(nil, .invalidRequest("neither a method nor an id"))) }
        if let error = object["error"] {
            let code = error["code"]?.intValue ?? -32603
            let message = error["message"]?.stringValue ?? "(no message)"
            return .success(.response(id: id, result: .failure(RPCError(code: code, message: message, data: error["data"]))))
        }
        return .success(.response(id: id, result: .success(object["result"] ?? .null)))
    }

    /// A line that is no message, with the request id when one could be read (to answer it).
    package struct ParseFailure: Error, Equatable {
        /// The id of the broken request, if any.
        package var id: JSONValue?
        /// The error to answer with.
        package var error: RPCError

        init(_ id: JSONValue?, _ error: RPCError) {
            self.id = id
            self.error = error
        }
    }

    /// The message as one compact JSON line ending in `\n` (JSON text never holds a raw newline).
    package var line: [UInt8] {
        var object: [String: JSONValue] = ["jsonrpc": "2.0"]
        switch self {
        case .request(let id, let method, let params):
            object["id"] = id
            object["method"] = .string(method)
            if params != .null { object["params"] = params }
        case .notification(let method, let params):
            object["method"] = .string(method)
            if params != .null { object["params"] = params }
        case .response(let id, .success(let result)):
            object["id"] = id
            object["result"] = result
        case .response(let id, .failure(let error)):
            object["id"] = id
            object["error"] = error.json
        }
        var bytes = JSONWriter.bytes(.object(object))
        bytes.append(UInt8(ascii: "\n"))
        return bytes
    }
}
