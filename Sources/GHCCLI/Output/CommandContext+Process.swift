import GHCUpstream

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

extension CommandContext {
    /// The context of the running process: its descriptors, environment and home directory.
    package static func process() -> CommandContext {
        let out = FileDescriptorOutput(descriptor: 1)
        let err = FileDescriptorOutput(descriptor: 2)
        let environment = ProcessInfo.processInfo.environment
        return CommandContext(
            stdout: out,
            stderr: err,
            readLine: { Swift.readLine() },
            environment: environment,
            home: environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path,
            stdoutIsTerminal: out.isTerminal,
            stderrIsTerminal: err.isTerminal,
            openBrowser: openInBrowser
        )
    }

    /// Starts `xdg-open URL` (or `open` on macOS) detached; returns whether it could be started.
    private static func openInBrowser(_ url: String) -> Bool {
        #if os(macOS)
        let tool = "open"
        #else
        let tool = "xdg-open"
        #endif
        var pid: pid_t = 0
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv: [UnsafeMutablePointer<CChar>?] = [strdup(tool), strdup(url), nil]
        defer { for pointer in argv { free(pointer) } }
        return posix_spawnp(&pid, tool, &actions, nil, argv, environ) == 0
    }
}
