import GHCCore

extension AgentSession: RPCPeer {
    /// Answers the agent's requests: files, terminals and permissions, under the spec's names and the legacy ones
    /// ghc-api 1.0.31 used (`fs/readTextFile`, `fs/writeTextFile`, `requestPermission`).
    package func handleRequest(method: String, params: JSONValue) async -> Result<JSONValue, RPCError> {
        switch method {
        case "fs/read_text_file", "fs/readTextFile":
            guard let path = params["path"]?.stringValue else { return .failure(.invalidParams("path is required")) }
            let absolute = path.hasPrefix("/") ? path : options.directory + "/" + path
            do {
                let content = try workspace.read(path: absolute, line: params["line"]?.intValue, limit: params["limit"]?.intValue)
                return .success(["content": .string(content)])
            } catch {
                return .failure(error)
            }
        case "fs/write_text_file", "fs/writeTextFile":
            guard let path = params["path"]?.stringValue, let content = params["content"]?.stringValue else {
                return .failure(.invalidParams("path and content are required"))
            }
            let absolute = path.hasPrefix("/") ? path : options.directory + "/" + path
            do {
                try workspace.write(path: absolute, content: content)
                return .success(.null)
            } catch {
                return .failure(error)
            }
        case "session/request_permission", "requestPermission":
            return .success(["outcome": await permission(params).json])
        case _ where method.hasPrefix("terminal/"):
            return await terminals.handle(method, params)
        default:
            return .failure(.methodNotFound(method))
        }
    }

    /// Keeps `session/update`s in order (in the running turn, or between turns); other notifications are ignored.
    package func handleNotification(method: String, params: JSONValue) async {
        guard method == "session/update" || method == "sessionUpdate" else { return }
        let update = params["update"] ?? params
        if replaying {
            idleListener?(.update(update))
            return
        }
        if turn != nil {
            turn?.updates.append(update)
            emit(.update(update))
        } else {
            idleUpdates.append(update)
            emit(.update(update))
            scheduleIdleFlush()
        }
        if update["sessionUpdate"]?.stringValue == "current_mode_update", let mode = update["currentModeId"],
            case .object(var modes) = header["modes"] ?? .null
        {
            modes["currentModeId"] = mode
            header["modes"] = .object(modes)
        }
    }

    /// Notes a skipped line in the agent's diagnostics.
    package func skippedLine(_ reason: String) async {
        process?.stderr.append(Array("[ghc-api] skipped a line from the agent: \(reason)\n".utf8))
    }

    /// Decides by policy, or asks whoever runs the turn and waits for `answerPermission`.
    private func permission(_ params: JSONValue) async -> PermissionOutcome {
        let options = PermissionOption.list(params["options"])
        if turn?.cancelled == true { return .cancelled }
        if let decided = self.options.policy.decide(options) { return decided }
        permissionCount += 1
        let request = PermissionRequest(id: "perm-\(permissionCount)", toolCall: params["toolCall"] ?? .null, options: options)
        return await withCheckedContinuation { continuation in
            waitingPermissions[request.id] = (request, continuation)
            emit(.permission(request))
        }
    }

    /// Writes the updates that came between turns.
    func flushIdleUpdates() {
        guard !idleUpdates.isEmpty, let recorder else { return }
        recorder.agent(idleUpdates, stopReason: nil)
        idleUpdates = []
    }

    private func scheduleIdleFlush() {
        guard !idleFlushScheduled else { return }
        idleFlushScheduled = true
        let seconds = options.flushInterval
        Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            await self?.idleFlushDue()
        }
    }

    private func idleFlushDue() {
        idleFlushScheduled = false
        flushIdleUpdates()
    }
}
