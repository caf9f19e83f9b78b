import GHCCore

/// What the client side answers when the agent calls it.
package protocol RPCPeer: Sendable {
    /// Answers an agent→client request; runs in a task of its own, so it may wait (for a user, a process).
    func handleRequest(method: String, params: JSONValue) async -> Result<JSONValue, RPCError>
    /// Takes a notification; called in arrival order, before later lines are read, so it should not wait long.
    func handleNotification(method: String, params: JSONValue) async
    /// A line that was not a valid message, or was too long, was skipped.
    func skippedLine(_ reason: String) async
}

/// JSON-RPC 2.0 over a line transport: numbered requests with pending answers, notifications, and the agent's
/// own requests answered concurrently so the read loop never blocks.
package actor RPCConnection {
    private let send: @Sendable ([UInt8]) -> Void
    private let peer: any RPCPeer
    private var nextID = 1
    private var pending: [Int: CheckedContinuation<Result<JSONValue, AgentError>, Never>] = [:]
    private var handling: [JSONValue: Task<Void, Never>] = [:]
    private var closedBecause: AgentError?

    /// A connection writing lines with `send` and answering the agent through `peer`.
    package init(send: @escaping @Sendable ([UInt8]) -> Void, peer: any RPCPeer) {
        self.send = send
        self.peer = peer
    }

    /// Calls `method` and waits for the answer (up to `timeout`, when given).
    package func request(_ method: String, _ params: JSONValue, timeout: Duration? = nil) async throws(AgentError) -> JSONValue {
        if let closedBecause { throw closedBecause }
        let id = nextID
        nextID += 1
        send(RPCMessage.request(id: .int(id), method: method, params: params).line)
        let timer = timeout.map { limit in
            Task { [weak self] in
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                await self?.resolve(id, .failure(.timedOut(method: method, seconds: Int(limit.components.seconds))))
            }
        }
        defer { timer?.cancel() }
        let result = await withCheckedContinuation { pending[id] = $0 }
        return try result.get()
    }

    /// Sends a notification.
    package func notify(_ method: String, _ params: JSONValue) throws(AgentError) {
        if let closedBecause { throw closedBecause }
        send(RPCMessage.notification(method: method, params: params).line)
    }

    /// Handles one line from the agent. Call in order, from one task.
    package func receive(_ line: [UInt8]) async {
        if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { return }
        switch RPCMessage.parse(line) {
        case .failure(let problem):
            if let id = problem.id { send(RPCMessage.response(id: id, result: .failure(problem.error)).line) }
            await peer.skippedLine(problem.error.message)
        case .success(.response(let id, let result)):
            guard let number = id.intValue, pending[number] != nil else {
                await peer.skippedLine("an answer to unknown request \(id.jsonString())")
                return
            }
            resolve(number, result.mapError { .remote($0) })
        case .success(.notification("$/cancel_request", let params)):
            if let id = params["requestId"] ?? params["id"] { handling[id]?.cancel() }
        case .success(.notification(let method, let params)):
            await peer.handleNotification(method: method, params: params)
        case .success(.request(let id, let method, let params)):
            handling[id] = Task { await answer(id: id, method: method, params: params) }
        }
    }

    /// Fails every pending request with `error`; later calls fail at once.
    package func close(_ error: AgentError) {
        guard closedBecause == nil else { return }
        closedBecause = error
        for (_, continuation) in pending { continuation.resume(returning: .failure(error)) }
        pending.removeAll()
        for (_, task) in handling { task.cancel() }
    }

    private func answer(id: JSONValue, method: String, params: JSONValue) async {
        var result = await peer.handleRequest(method: method, params: params)
        if Task.isCancelled, case .success = result { result = .failure(RPCError(code: -32800, message: "Request cancelled")) }
        handling[id] = nil
        guard closedBecause == nil else { return }
        send(RPCMessage.response(id: id, result: result).line)
    }

    private func resolve(_ id: Int, _ result: Result<JSONValue, AgentError>) {
        pending.removeValue(forKey: id)?.resume(returning: result)
    }
}
