import Foundation
import GHCCore

extension AgentSession {
    /// What a turn produced.
    package struct TurnResult: Sendable {
        /// How it ended.
        package var stopReason: StopReason
        /// Why it failed, when it did.
        package var error: AgentError?

        /// A result.
        package init(stopReason: StopReason, error: AgentError? = nil) {
            self.stopReason = stopReason
            self.error = error
        }
    }

    /// Runs one turn: `session/prompt` with `text` (and a resource link for each `@path` naming a file), every event
    /// handed to `listener` in order, the turn written to the session's file when it ends.
    package func prompt(_ text: String, listener: @escaping @Sendable (AgentEvent) async -> Void) async throws(AgentError) -> TurnResult {
        guard turn == nil else { throw .busy }
        if let endReason { throw endReason }
        flushIdleUpdates()
        let blocks = promptBlocks(text)
        recorder?.user([["type": "text", "text": .string(text)]])
        let (events, continuation) = AsyncStream<AgentEvent>.makeStream()
        turn = Turn(events: continuation)
        let forwarder = Task {
            for await event in events { await listener(event) }
        }
        let outcome: Result<JSONValue, AgentError>
        do {
            outcome = .success(try await request("session/prompt", ["sessionId": .string(id), "prompt": .array(blocks)]))
        } catch {
            outcome = .failure(error)
        }
        let finished = turn
        turn = nil
        continuation.finish()
        await forwarder.value
        let result: TurnResult
        switch outcome {
        case .success(let answer):
            result = TurnResult(stopReason: StopReason(wire: answer["stopReason"]?.stringValue ?? "end_turn"), error: nil)
        case .failure(let error):
            result = TurnResult(stopReason: finished?.cancelled == true && endReason == nil ? .cancelled : .error, error: error)
        }
        recorder?.agent(finished?.updates ?? [], stopReason: result.stopReason.rawValue, error: result.error?.description)
        recorder?.status(isLive && endReason == nil ? "active" : "terminated")
        return result
    }

    /// The prompt's content blocks: the text, then a `resource_link` for every `@path` that names an existing file.
    func promptBlocks(_ text: String) -> [JSONValue] {
        var blocks: [JSONValue] = [["type": "text", "text": .string(text)]]
        var seen: Set<String> = []
        for word in text.split(whereSeparator: \.isWhitespace) where word.hasPrefix("@") && word.count > 1 {
            let name = String(word.dropFirst()).trimmingCharacters(in: CharacterSet(charactersIn: ",.;:!?)\"'"))
            let path = WorkspaceAccess.normalized(name.hasPrefix("/") ? name : options.directory + "/" + name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue,
                seen.insert(path).inserted
            else { continue }
            let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int
            var link: [String: JSONValue] = [
                "type": "resource_link", "uri": .string("file://" + path), "name": .string((path as NSString).lastPathComponent),
            ]
            if let size { link["size"] = .int(size) }
            blocks.append(.object(link))
        }
        return blocks
    }
}
