import GHCCore
import GHCUpstream

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything a command touches outside itself, so commands run in tests without a process,
/// a terminal or the real home directory.
package struct CommandContext: Sendable {
    /// Standard output.
    package var stdout: any TextOutput
    /// Standard error.
    package var stderr: any TextOutput
    /// Reads one line of standard input; `nil` at end of input.
    package var readLine: @Sendable () -> String?
    /// The environment.
    package var environment: [String: String]
    /// The home directory.
    package var home: String
    /// Whether standard output is a terminal.
    package var stdoutIsTerminal: Bool
    /// Whether standard error is a terminal.
    package var stderrIsTerminal: Bool
    /// The clock.
    package var now: @Sendable () -> Date
    /// The HTTP sender for GitHub and Copilot.
    package var http: UpstreamHTTP
    /// Opens a URL in a browser; returns whether it could.
    package var openBrowser: @Sendable (String) -> Bool
    /// Waits, for polling; tests make it instant.
    package var sleep: @Sendable (Duration) async throws -> Void

    /// Creates a context.
    package init(
        stdout: any TextOutput,
        stderr: any TextOutput,
        readLine: @escaping @Sendable () -> String? = { nil },
        environment: [String: String],
        home: String,
        stdoutIsTerminal: Bool = false,
        stderrIsTerminal: Bool = false,
        now: @escaping @Sendable () -> Date = { Date() },
        http: UpstreamHTTP = UpstreamHTTP(),
        openBrowser: @escaping @Sendable (String) -> Bool = { _ in false },
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    ) {
        self.stdout = stdout
        self.stderr = stderr
        self.readLine = readLine
        self.environment = environment
        self.home = home
        self.stdoutIsTerminal = stdoutIsTerminal
        self.stderrIsTerminal = stderrIsTerminal
        self.now = now
        self.http = http
        self.openBrowser = openBrowser
        self.sleep = sleep
    }

    /// Styling for standard output: colour only on a terminal, never with `NO_COLOR` or `TERM=dumb`.
    package var style: TextStyle {
        TextStyle(enabled: stdoutIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb")
    }

    /// Styling for standard error, by the same rules.
    package var errorStyle: TextStyle {
        TextStyle(enabled: stderrIsTerminal && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb")
    }
}

/// ANSI styling that turns itself off when output is not for a person's terminal.
package struct TextStyle: Sendable {
    /// Whether escapes are written.
    package let enabled: Bool

    /// Creates a style that writes escapes only when `enabled`.
    package init(enabled: Bool) {
        self.enabled = enabled
    }

    private func wrap(_ text: String, _ code: String) -> String {
        enabled ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    /// Bold text.
    package func bold(_ text: String) -> String { wrap(text, "1") }
    /// Dim text.
    package func dim(_ text: String) -> String { wrap(text, "2") }
    /// Green text.
    package func green(_ text: String) -> String { wrap(text, "32") }
    /// Yellow text.
    package func yellow(_ text: String) -> String { wrap(text, "33") }
    /// Red text.
    package func red(_ text: String) -> String { wrap(text, "31") }
}
