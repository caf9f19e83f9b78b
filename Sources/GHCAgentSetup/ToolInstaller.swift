import Foundation
import GHCCore
import GHCSync
import Subprocess
import Synchronization
import SystemPackage

/// Installs or updates the coding tools and the ACP adapters with `npm install -g`, one after another, streaming
/// their output, after backing up the settings files an update may touch; each step is logged.
package struct ToolInstaller: Sendable {
    /// A tool `agent install` knows.
    package struct Tool: Sendable, Equatable {
        /// The name users type (`claude-code`).
        package var name: String
        /// The key in the original's result (`claude`).
        package var resultKey: String
        /// The npm packages.
        package var packages: [String]
    }

    /// What one step did.
    package struct StepResult: Sendable, Equatable {
        /// The tool.
        package var tool: Tool
        /// `npm install -g …` as written.
        package var command: String
        /// With npm's full path.
        package var resolvedCommand: String
        /// npm's exit status (-1 when it could not run).
        package var returnCode: Int
        /// The last 4000 characters of its stdout.
        package var stdout: String
        /// The last 4000 characters of its stderr.
        package var stderr: String
    }

    /// Every tool, in the order they install.
    package static let tools = [
        Tool(name: "claude-code", resultKey: "claude", packages: ["@anthropic-ai/claude-code"]),
        Tool(name: "codex", resultKey: "codex", packages: ["@openai/codex"]),
        Tool(name: "copilot-cli", resultKey: "copilot-cli", packages: ["@github/copilot"]),
        Tool(name: "acp-adapters", resultKey: "acp-adapters", packages: ["@zed-industries/claude-agent-acp", "@zed-industries/codex-acp"]),
    ]

    /// npm's path.
    package let npm: String
    /// The log file (`code_agent_install.log` in the config directory).
    package let logFile: String

    /// An installer using `npm`, logging to `logFile`.
    package init(npm: String, logFile: String) {
        self.npm = npm
        self.logFile = logFile
    }

    /// npm on this machine: on WSL a Linux npm (not Windows' `npm.cmd` or one under `/mnt/`), else `npm` on PATH.
    package static func findNPM(environment: [String: String], wsl: Bool) -> String? {
        let directories = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for directory in directories where !(wsl && directory.hasPrefix("/mnt/")) {
            let candidate = directory + "/npm"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        if wsl {
            return ["/usr/bin/npm", "/usr/local/bin/npm", "/bin/npm"].first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        return nil
    }

    /// Backs up Claude Code's and Codex's settings (when present); returns the backups by the original's keys.
    package func backUpSettings(home: String, now: Date = Date()) -> [String: String] {
        var backups: [String: String] = [:]
        for (key, path) in [("claude", home + "/.claude/settings.json"), ("codex", home + "/.codex/config.toml")] {
            guard let text = try? FileStore.readText(path), let backup = try? Backups.make(path, bytes: Array(text.utf8), now: now) else {
                continue
            }
            backups[key] = backup
            log("backed up \(path) to \(backup)")
        }
        return backups
    }

    /// Runs `npm install -g` for `tool`, handing each output line to `output` (true for stderr) as it comes.
    package func install(_ tool: Tool, output: @escaping @Sendable (String, Bool) -> Void) async -> StepResult {
        let arguments = ["install", "-g"] + tool.packages
        let command = "npm " + arguments.joined(separator: " ")
        log("installing \(tool.name): \(command)")
        let stdout = OutputLines(limit: 4000)
        let stderr = OutputLines(limit: 4000)
        do {
            let result = try await Subprocess.run(
                .path(FilePath(npm)),
                arguments: Arguments(arguments),
                input: .none,
                output: .sequence,
                error: .sequence
            ) {
                execution in
                async let out: Void = stdout.read(execution.standardOutput) { output($0, false) }
                async let err: Void = stderr.read(execution.standardError) { output($0, true) }
                _ = await (out, err)
            }
            let code: Int
            switch result.terminationStatus {
            case .exited(let status): code = Int(status)
            case .signaled(let signal): code = -Int(signal)
            }
            let line = code == 0 ? "\(tool.name) installed" : "\(tool.name) failed (exit \(code)): \(stderr.lastLine)"
            log(line)
            return StepResult(
                tool: tool,
                command: command,
                resolvedCommand: "\(npm) \(arguments.joined(separator: " "))",
                returnCode: code,
                stdout: stdout.text,
                stderr: stderr.text
            )
        } catch {
            log("\(tool.name) failed: \(error)")
            return StepResult(tool: tool, command: command, resolvedCommand: npm, returnCode: -1, stdout: "", stderr: "\(error)")
        }
    }

    /// Appends `<local time> [Config Sync] message` to the log, as the original writes it.
    package func log(_ message: String) {
        let line = "\(Timestamp.localISO(Date())) [Config Sync] \(message)\n"
        guard let handle = FileHandle(forWritingAtPath: logFile) ?? create() else { return }
        defer { try? handle.close() }
        _ = try? handle.seekToEnd()
        try? handle.write(contentsOf: Data(line.utf8))
    }

    private func create() -> FileHandle? {
        try? FileStore.ensureDirectory(FileStore.parentDirectory(of: logFile))
        _ = FileManager.default.createFile(atPath: logFile, contents: nil, attributes: [.posixPermissions: 0o600])
        return FileHandle(forWritingAtPath: logFile)
    }
}

/// One output stream of a step: its lines handed on as they come, its tail kept.
private final class OutputLines: Sendable {
    private let tail: Mutex<String>
    private let limit: Int

    init(limit: Int) {
        self.limit = limit
        tail = Mutex("")
    }

    var text: String { tail.withLock { $0 } }

    var lastLine: String { text.split(separator: "\n").last.map(String.init) ?? "" }

    func read(_ sequence: SubprocessOutputSequence, line: @escaping @Sendable (String) -> Void) async {
        var pending = ""
        do {
            for try await buffer in sequence {
                pending += buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                while let newline = pending.firstIndex(of: "\n") {
                    emit(String(pending[..<newline]), line)
                    pending = String(pending[pending.index(after: newline)...])
                }
            }
        } catch {}
        if !pending.isEmpty { emit(pending, line) }
    }

    private func emit(_ text: String, _ line: (String) -> Void) {
        line(text)
        tail.withLock { tail in
            tail += text + "\n"
            if tail.count > limit { tail = String(tail.suffix(limit)) }
        }
    }
}
