import GHCCore
import Subprocess

/// Runs the service manager's tools (`systemctl`, `launchctl`, `journalctl`), found on `PATH`.
enum SystemCommand {
    /// How a run ended.
    struct Outcome: Sendable {
        /// The exit status; `nil` when the tool could not be started (not installed).
        let status: Int32?
        /// What it printed, standard output then standard error, trimmed.
        let output: String

        /// Whether it ran and exited 0.
        var succeeded: Bool { status == 0 }
    }

    /// Runs `command` and collects what it prints (up to 1 MiB).
    static func run(_ command: [String]) async -> Outcome {
        guard let program = command.first else { return Outcome(status: nil, output: "") }
        do {
            let result = try await Subprocess.run(
                .name(program),
                arguments: Arguments(Array(command.dropFirst())),
                input: .none,
                output: .string(limit: 1 << 20),
                error: .string(limit: 1 << 20)
            )
            let text = [result.standardOutput, result.standardError].map(\.trimmedWhitespace).filter { !$0.isEmpty }
            return Outcome(status: status(result.terminationStatus), output: text.joined(separator: "\n"))
        } catch {
            return Outcome(status: nil, output: "\(program) could not be started: \(error)")
        }
    }

    /// Runs `command` with this process's standard output and error, for output a user reads as it comes
    /// (`journalctl -f`); returns the exit status, `nil` when it could not be started.
    static func passThrough(_ command: [String]) async -> Int32? {
        guard let program = command.first else { return nil }
        let result = try? await Subprocess.run(
            .name(program),
            arguments: Arguments(Array(command.dropFirst())),
            input: .none,
            output: .currentStandardOutput,
            error: .currentStandardError
        )
        return result.map { status($0.terminationStatus) }
    }

    /// An exit status, or 128 + the signal for a killed process (as shells report it).
    private static func status(_ status: TerminationStatus) -> Int32 {
        switch status {
        case .exited(let code): Int32(code)
        case .signaled(let signal): 128 + Int32(signal)
        }
    }
}
