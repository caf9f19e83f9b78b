import Subprocess

/// How a child process ended, in the words users know from shells.
package struct ProcessEnd: Sendable, Equatable, CustomStringConvertible {
    /// The exit code, when it exited.
    package var exitCode: Int?
    /// The signal's name (`SIGKILL`), when a signal ended it.
    package var signal: String?

    /// An end described directly.
    package init(exitCode: Int?, signal: String?) {
        self.exitCode = exitCode
        self.signal = signal
    }

    /// Reads Subprocess's status.
    package init(_ status: TerminationStatus) {
        switch status {
        case .exited(let code):
            exitCode = Int(code)
            signal = nil
        case .signaled(let number):
            exitCode = nil
            signal = Self.signalName(Int32(number))
        }
    }

    /// `exit code 3` or `signal SIGKILL`.
    package var description: String {
        if let exitCode { return "exit code \(exitCode)" }
        return "signal \(signal ?? "?")"
    }

    /// The conventional name of a signal number.
    package static func signalName(_ number: Int32) -> String {
        let names: [Int32: String] = [
            1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 6: "SIGABRT", 8: "SIGFPE", 9: "SIGKILL", 11: "SIGSEGV",
            13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
        ]
        return names[number] ?? "SIG\(number)"
    }
}
