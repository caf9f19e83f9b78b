import Subprocess
import Synchronization
import SystemPackage

/// One command an agent runs through `terminal/create`: its output (stdout and stderr together, the last
/// `outputByteLimit` bytes) and how it ended.
package final class TerminalProcess: Sendable {
    /// What `terminal/output` reports.
    package struct Snapshot: Sendable, Equatable {
        /// The kept output.
        package var output: String
        /// Whether the start of the output was dropped to stay within the limit.
        package var truncated: Bool
        /// How it ended, once it has.
        package var end: ProcessEnd?
    }

    private let output: OutputTail
    private let kills: AsyncStream<Void>.Continuation
    private let end: EndBox
    private let finished: Task<Void, Never>

    /// Starts `command` with `arguments`; returns at once (the process runs on).
    package init(command: String, arguments: [String], environment: [String: String], directory: String, outputByteLimit: Int) {
        let output = OutputTail(limit: max(0, outputByteLimit))
        let (killRequests, kills) = AsyncStream<Void>.makeStream()
        let end = EndBox()
        self.end = end
        self.output = output
        self.kills = kills
        var variables: [Environment.Key: String?] = [:]
        for (key, value) in environment {
            if let name = Environment.Key(rawValue: key) { variables[name] = value }
        }
        var options = PlatformOptions()
        options.createSession = true
        let configuration = Configuration(
            executable: command.contains("/") ? .path(FilePath(command)) : .name(command),
            arguments: Arguments(arguments),
            environment: .inherit.updating(variables),
            workingDirectory: FilePath(directory),
            platformOptions: options
        )
        finished = Task {
            do {
                let result = try await Subprocess.run(configuration, input: .none, output: .sequence, error: .combinedWithOutput) {
                    execution in
                    let killer = Task {
                        for await _ in killRequests {
                            try? execution.send(signal: .kill, toProcessGroup: true)
                        }
                    }
                    do {
                        for try await buffer in execution.standardOutput { buffer.withUnsafeBytes { output.append($0) } }
                    } catch {}
                    killer.cancel()
                }
                end.value.withLock { $0 = ProcessEnd(result.terminationStatus) }
            } catch {
                output.append(Array("\(command): \(error)\n".utf8))
                end.value.withLock { $0 = ProcessEnd(exitCode: 127, signal: nil) }
            }
            kills.finish()
        }
    }

    /// The output so far and the exit status, if it has ended.
    package var snapshot: Snapshot {
        Snapshot(output: output.text, truncated: output.truncated, end: end.value.withLock { $0 })
    }

    /// Waits for the command to end.
    package func waitForExit() async -> ProcessEnd {
        await finished.value
        return end.value.withLock { $0 } ?? ProcessEnd(exitCode: nil, signal: nil)
    }

    /// Sends SIGKILL to the command and everything it started; the terminal stays readable.
    package func kill() {
        kills.yield()
    }
}

/// How a terminal's command ended, shared between its task and its readers.
private final class EndBox: Sendable {
    let value = Mutex<ProcessEnd?>(nil)
}
