import Subprocess
import Synchronization
import SystemPackage

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An agent's running process: its stdin fed from a queue, its stdout cut into lines, its stderr kept (bounded).
///
/// The process lives in a task of its own that owns Subprocess's `run` scope; everything else talks to it
/// through `send` (queued, written in order by one writer) and `stop`.
package final class AgentProcess: Sendable {
    /// What to start.
    package struct Launch: Sendable {
        /// The program (an absolute path, or a name looked up on PATH) and its arguments.
        package var command: [String]
        /// Variables set on top of this process's environment.
        package var environment: [String: String]
        /// The working directory.
        package var directory: String
        /// The longest line read from stdout.
        package var lineLimit: Int

        /// A launch description.
        package init(command: [String], environment: [String: String] = [:], directory: String, lineLimit: Int = 100 << 20) {
            self.command = command
            self.environment = environment
            self.directory = directory
            self.lineLimit = lineLimit
        }
    }

    /// Receives what the process prints, in order, from one task.
    package struct Listener: Sendable {
        /// A complete stdout line.
        package var line: @Sendable ([UInt8]) async -> Void
        /// A stdout line that exceeded the bound was dropped.
        package var overlong: @Sendable (Int) async -> Void
        /// The process ended (after its last line was delivered), with the last 2000 characters of its stderr.
        package var ended: @Sendable (ProcessEnd, String) async -> Void

        /// A listener.
        package init(
            line: @escaping @Sendable ([UInt8]) async -> Void,
            overlong: @escaping @Sendable (Int) async -> Void,
            ended: @escaping @Sendable (ProcessEnd, String) async -> Void
        ) {
            self.line = line
            self.overlong = overlong
            self.ended = ended
        }
    }

    /// The command line, for messages.
    package let command: [String]
    /// The last 64 KiB of the agent's stderr.
    package let stderr = OutputTail(limit: 64 << 10)
    private let outbox: AsyncStream<[UInt8]>.Continuation
    private let stopRequests: AsyncStream<Void>.Continuation
    private let end = Mutex<ProcessEnd?>(nil)
    private let runner = Mutex<Task<Void, Never>?>(nil)

    private init(command: [String], outbox: AsyncStream<[UInt8]>.Continuation, stopRequests: AsyncStream<Void>.Continuation) {
        self.command = command
        self.outbox = outbox
        self.stopRequests = stopRequests
    }

    /// Starts the process; returns once it runs, or throws when it could not start.
    package static func start(_ launch: Launch, listener: Listener) async throws(AgentError) -> AgentProcess {
        ignoreBrokenPipes()
        guard let program = launch.command.first else { throw .launchFailed(command: launch.command, reason: "empty command") }
        let (lines, outbox) = AsyncStream<[UInt8]>.makeStream()
        let (stops, stopRequests) = AsyncStream<Void>.makeStream()
        let process = AgentProcess(command: launch.command, outbox: outbox, stopRequests: stopRequests)
        var environment: [Environment.Key: String?] = [:]
        for (key, value) in launch.environment {
            if let name = Environment.Key(rawValue: key) { environment[name] = value }
        }
        // A process group of its own: Ctrl-C on the terminal reaches `agent chat`, which cancels the turn, not the agent.
        var platform = PlatformOptions()
        platform.processGroupID = 0
        let configuration = Configuration(
            executable: program.contains("/") ? .path(FilePath(program)) : .name(program),
            arguments: Arguments(Array(launch.command.dropFirst())),
            environment: .inherit.updating(environment),
            workingDirectory: FilePath(launch.directory),
            platformOptions: platform
        )
        let started: Result<Void, AgentError> = await withCheckedContinuation { continuation in
            let task = Task {
                await process.run(configuration, limit: launch.lineLimit, lines: lines, stops: stops, listener: listener) { result in
                    continuation.resume(returning: result)
                }
            }
            process.runner.withLock { $0 = task }
        }
        try started.get()
        return process
    }

    /// Queues bytes for the agent's stdin; dropped once the process has ended.
    package func send(_ bytes: [UInt8]) {
        outbox.yield(bytes)
    }

    /// Closes stdin, gives the agent 2 s to leave, then SIGTERM, 3 s, SIGKILL; returns when it has ended.
    package func stop() async {
        stopRequests.yield()
        await waitUntilEnded()
    }

    /// Returns when the process has ended.
    package func waitUntilEnded() async {
        let task = runner.withLock { $0 }
        await task?.value
    }

    /// How it ended, once it has.
    package var ended: ProcessEnd? { end.withLock { $0 } }

    private func run(
        _ configuration: Configuration,
        limit: Int,
        lines: AsyncStream<[UInt8]>,
        stops: AsyncStream<Void>,
        listener: Listener,
        started: @escaping @Sendable (Result<Void, AgentError>) -> Void
    ) async {
        let didStart = Mutex(false)
        do {
            let result = try await Subprocess.run(configuration, input: .inputWriter, output: .sequence, error: .sequence) { execution in
                didStart.withLock { $0 = true }
                started(.success(()))
                await pump(execution, limit: limit, lines: lines, stops: stops, listener: listener)
            }
            let status = ProcessEnd(result.terminationStatus)
            end.withLock { $0 = status }
            outbox.finish()
            await listener.ended(status, stderr.lastCharacters(2000))
        } catch {
            outbox.finish()
            if didStart.withLock({ $0 }) {
                let status = ProcessEnd(exitCode: nil, signal: "unknown (\(error))")
                end.withLock { $0 = status }
                await listener.ended(status, stderr.lastCharacters(2000))
            } else {
                started(.failure(.launchFailed(command: command, reason: "\(error)")))
            }
        }
    }

    private func pump(
        _ execution: Execution<CustomWriteInput, SequenceOutput, SequenceOutput>,
        limit: Int,
        lines: AsyncStream<[UInt8]>,
        stops: AsyncStream<Void>,
        listener: Listener
    ) async {
        let stdoutEnded = Mutex(false)
        let stderrEnded = Mutex(false)
        let writer = Task {
            for await bytes in lines {
                do { _ = try await execution.standardInputWriter.write(bytes) } catch { break }
            }
            try? await execution.standardInputWriter.finish()
        }
        let errors = Task {
            do {
                for try await buffer in execution.standardError { buffer.withUnsafeBytes { stderr.append($0) } }
            } catch {}
            stderrEnded.withLock { $0 = true }
        }
        let stopper = Task {
            for await _ in stops {
                outbox.finish()
                if await Self.poll(seconds: 2, until: { stdoutEnded.withLock { $0 } }) { return }
                await execution.teardown(using: [.gracefulShutDown(allowedDurationToNextStep: .seconds(3))])
                return
            }
        }
        var framer = LineFramer(limit: limit)
        do {
            for try await buffer in execution.standardOutput {
                let pieces = buffer.withUnsafeBytes { framer.feed($0) }
                await deliver(pieces, listener)
            }
        } catch {}
        await deliver(framer.finish(), listener)
        stdoutEnded.withLock { $0 = true }
        outbox.finish()
        stopRequests.finish()
        await writer.value
        // stderr closes when the agent exits; one that closed stdout but lingers is ended after 2 s.
        if !(await Self.poll(seconds: 2, until: { stderrEnded.withLock { $0 } })) {
            await execution.teardown(using: [.gracefulShutDown(allowedDurationToNextStep: .seconds(2))])
        }
        errors.cancel()
        await errors.value
        await stopper.value
    }

    private func deliver(_ pieces: [LineFramer.Piece], _ listener: Listener) async {
        for piece in pieces {
            switch piece {
            case .line(let line): await listener.line(line)
            case .overlong(let length): await listener.overlong(length)
            }
        }
    }

    /// Checks `condition` every 20 ms for up to `seconds`; whether it became true.
    private static func poll(seconds: Int, until condition: @Sendable () -> Bool) async -> Bool {
        for _ in 0..<(seconds * 50) {
            if condition() { return true }
            do { try await Task.sleep(for: .milliseconds(20)) } catch { return condition() }
        }
        return condition()
    }

    /// A write to an agent that has died must fail with EPIPE, not kill this process with SIGPIPE.
    private static func ignoreBrokenPipes() {
        _ = brokenPipesIgnored
    }

    private static let brokenPipesIgnored: Bool = {
        signal(SIGPIPE, SIG_IGN)
        return true
    }()
}
