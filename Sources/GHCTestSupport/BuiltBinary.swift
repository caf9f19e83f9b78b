import Foundation

/// Runs the `ghc-api` executable that `swift build` put beside the test bundle, as a user would.
package struct BuiltBinary: Sendable {
    /// What a run printed and how it ended.
    package struct Result: Sendable {
        /// The exit status.
        package let status: Int32
        /// Standard output.
        package let stdout: String
        /// Standard error.
        package let stderr: String
    }

    /// The executable's path.
    package let path: String

    /// Finds `ghc-api` in the directory of the running test bundle.
    package init() {
        let executable = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        path = URL(fileURLWithPath: executable).deletingLastPathComponent().appendingPathComponent("ghc-api").path
    }

    /// Runs the binary with `arguments` and a clean environment (plus `environment`), no standard input.
    package func run(_ arguments: [String], environment: [String: String] = [:], timeout: Duration = .seconds(60)) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        var base = ["PATH": "/usr/bin:/bin", "HOME": environment["HOME"] ?? NSTemporaryDirectory(), "LANG": "C.UTF-8"]
        base.merge(environment) { _, new in new }
        process.environment = base
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            process.terminate()
        }
        // Blocking reads run on Dispatch threads, never on the few threads of Swift's cooperative pool,
        // which the in-process stand-in upstream needs to answer the child.
        async let outData = Self.readToEnd(out.fileHandleForReading)
        async let errData = Self.readToEnd(err.fileHandleForReading)
        let (stdout, stderr) = await (outData, errData)
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                process.waitUntilExit()
                continuation.resume()
            }
        }
        watchdog.cancel()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self)
        )
    }

    private static func readToEnd(_ handle: FileHandle) async -> Data {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: handle.readDataToEndOfFile()) }
        }
    }
}
