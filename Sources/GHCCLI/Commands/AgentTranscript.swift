import GHCAgent
import GHCCore
import GHCSync
import Synchronization

/// Writes a session's updates for a terminal: the agent's text on standard output as it streams, tool calls,
/// diffs, plans and (with `--verbose`) thoughts, usage and commands on standard error, dimmed.
final class AgentTranscript: Sendable {
    private struct State {
        var textOpen = false
        var thoughtOpen = false
        var titles: [String: String] = [:]
    }

    private let context: CommandContext
    private let verbose: Bool
    private let state = Mutex(State())

    /// A transcript writing to `context`'s streams.
    init(context: CommandContext, verbose: Bool) {
        self.context = context
        self.verbose = verbose
    }

    /// Writes one update.
    func show(_ update: JSONValue) {
        let kind = WireName.snakeCase(update["sessionUpdate"]?.stringValue ?? "")
        switch kind {
        case "agent_message_chunk":
            if let text = update["content"]?["text"]?.stringValue { streamText(text) }
        case "user_message_chunk":
            if let text = update["content"]?["text"]?.stringValue { note(context.errorStyle.bold("> ") + text) }
        case "agent_thought_chunk":
            guard verbose, let text = update["content"]?["text"]?.stringValue else { return }
            thought(text)
        case "tool_call", "tool_call_update":
            tool(update, new: kind == "tool_call")
        case "plan":
            let entries = update["entries"]?.arrayValue ?? []
            note(context.errorStyle.bold("Plan"))
            for entry in entries {
                let mark =
                    switch entry["status"]?.stringValue {
                    case "completed": "[x]"
                    case "in_progress": "[~]"
                    default: "[ ]"
                    }
                note("  \(mark) \(entry["content"]?.stringValue ?? "")")
            }
        case "current_mode_update":
            note(context.errorStyle.dim("mode: \(update["currentModeId"]?.stringValue ?? "?")"))
        case "usage_update" where verbose:
            let used = update["used"]?.intValue ?? 0
            let size = update["size"]?.intValue ?? 0
            let cost =
                update["cost"].flatMap { cost in cost["amount"]?.doubleValue.map { " · \($0) \(cost["currency"]?.stringValue ?? "")" } }
                ?? ""
            note(context.errorStyle.dim("tokens: \(used) / \(size)\(cost)"))
        case "available_commands_update" where verbose:
            let names = (update["availableCommands"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.map { "/" + $0 }
            note(context.errorStyle.dim("commands: " + names.joined(separator: ", ")))
        default:
            if verbose { note(context.errorStyle.dim("\(kind): \(update.jsonString())")) }
        }
    }

    /// Ends the agent's text with a newline, when it did not.
    func endTurn() {
        let open = state.withLock { state in
            defer { state.textOpen = false }
            return state.textOpen
        }
        if open { context.stdout.write("\n") }
        closeThought()
    }

    /// A line on standard error, after ending any open line of text.
    func note(_ line: String) {
        closeThought()
        // On one terminal, the agent's open line of text ends before the note; into a pipe, the text stays whole.
        let sameScreen = context.stdoutIsTerminal && context.stderrIsTerminal
        let open = state.withLock { state in
            defer { if sameScreen { state.textOpen = false } }
            return state.textOpen
        }
        if open && sameScreen { context.stdout.write("\n") }
        context.stderr.line(line)
    }

    private func streamText(_ text: String) {
        closeThought()
        state.withLock { $0.textOpen = !text.hasSuffix("\n") }
        context.stdout.write(text)
    }

    private func thought(_ text: String) {
        let first = state.withLock { state in
            defer { state.thoughtOpen = true }
            return !state.thoughtOpen
        }
        context.stderr.write(context.errorStyle.dim((first ? "thinking: " : "") + text))
    }

    private func closeThought() {
        let open = state.withLock { state in
            defer { state.thoughtOpen = false }
            return state.thoughtOpen
        }
        if open { context.stderr.write("\n") }
    }

    private func tool(_ update: JSONValue, new: Bool) {
        let style = context.errorStyle
        let id = update["toolCallId"]?.stringValue ?? ""
        let title = state.withLock { state in
            if let title = update["title"]?.stringValue { state.titles[id] = title }
            return state.titles[id] ?? id
        }
        let status = update["status"]?.stringValue ?? (new ? "pending" : nil)
        if new {
            let kind = update["kind"]?.stringValue.map { " [\($0)]" } ?? ""
            note(style.bold("⏺ ") + title + style.dim(kind + (status.map { " \($0)" } ?? "")))
        } else if let status {
            let mark = status == "completed" ? style.green("✓") : status == "failed" ? style.red("✗") : style.dim("…")
            note("  \(mark) \(title) " + style.dim(status))
        }
        for item in update["content"]?.arrayValue ?? [] { toolContent(item) }
        if verbose, let output = update["rawOutput"], output != .null {
            note(style.dim("  output: " + Self.clip(output.stringValue ?? output.jsonString())))
        }
    }

    private func toolContent(_ item: JSONValue) {
        let style = context.errorStyle
        switch item["type"]?.stringValue {
        case "diff":
            let path = item["path"]?.stringValue ?? "?"
            let lines = UnifiedDiff.make(
                old: item["oldText"]?.stringValue ?? "",
                new: item["newText"]?.stringValue ?? "",
                oldName: item["oldText"]?.stringValue == nil ? "/dev/null" : path,
                newName: path
            )
            for line in lines {
                note(line.hasPrefix("+") ? style.green(line) : line.hasPrefix("-") ? style.red(line) : style.dim(line))
            }
        case "terminal":
            note(style.dim("  terminal \(item["terminalId"]?.stringValue ?? "")"))
        case "content":
            if verbose, let text = item["content"]?["text"]?.stringValue { note(style.dim("  " + Self.clip(text))) }
        default:
            break
        }
    }

    private static func clip(_ text: String) -> String {
        let flat = text.replacingAll("\n", with: " ")
        return flat.count > 300 ? String(flat.prefix(300)) + "…" : flat
    }
}
