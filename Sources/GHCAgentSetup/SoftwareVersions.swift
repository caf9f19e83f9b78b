import Foundation
import Subprocess
import Synchronization
import SystemPackage

/// The versions of the tools the code agent manager installs, as `<tool> --version` prints them.
package enum SoftwareVersions {
    /// One row: a program, whether it is on PATH, its version and its path.
    package struct Row: Sendable, Equatable {
        /// What users call it.
        package var name: String
        /// The program looked up on PATH.
        package var program: String
        /// Its path, when found.
        package var path: String?
        /// The first line `--version` printed, when it answered in time.
        package var version: String?

    }

    /// The programs: Node.js and npm, the three tools, and the two ACP adapters.
    package static let programs: [(name: String, program: String)] = [
        ("Node.js", "node"), ("npm", "npm"), ("Claude Code", "claude"), ("Codex", "codex"), ("Copilot CLI", "copilot"),
        ("Claude ACP adapter", "claude-agent-acp"), ("Codex ACP adapter", "codex-acp"),
    ]

    /// Every program's row, asked concurrently, each within `timeout`.
    package static func rows(path: String, timeout: Duration = .seconds(10)) async -> [Row] {
        let directories = path.split(separator: ":").map(String.init)
        return await withTaskGroup(of: (Int, Row).self) { group in
            for (index, entry) in programs.enumerated() {
                let found = directories.map { $0 + "/" + entry.program }.first { FileManager.default.isExecutableFile(atPath: $0) }
                group.addTask {
                    let version = found == nil ? nil : await version(of: found ?? "", timeout: timeout)
                    return (index, Row(name: entry.name, program: entry.program, path: found, version: version))
                }
            }
            var rows: [(Int, Row)] = []
            for await row in group { rows.append(row) }
            return rows.sorted { $0.0 < $1.0 }.map(\.1)
        }
    }

    /// The first non-empty line of `program --version`, or nil when it fails or takes longer than `timeout` (it is
    /// then killed).
    static func version(of program: String, timeout: Duration) async -> String? {
        let output = Mutex("")
        do {
            let result = try await Subprocess.run(
                .path(FilePath(program)),
                arguments: ["--version"],
                input: .none,
                output: .sequence,
                error: .discarded
            ) {
                execution in
                let killer = Task {
                    guard (try? await Task.sleep(for: timeout)) != nil else { return }
                    try? execution.send(signal: .kill)
                }
                do {
                    for try await buffer in execution.standardOutput {
                        let text = buffer.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
                        output.withLock { $0 += text }
                    }
                } catch {}
                killer.cancel()
            }
            guard case .exited(0) = result.terminationStatus else { return nil }
        } catch {
            return nil
        }
        return output.withLock { $0 }.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.first { !$0.isEmpty }
    }
}
