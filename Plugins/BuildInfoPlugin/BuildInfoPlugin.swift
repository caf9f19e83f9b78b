import Foundation
import PackagePlugin

/// Generates `BuildInfo.swift` for a target: the git commit the package was built from, when, and the resolved
/// dependency versions, for `ghc-api --version --verbose`. It runs again when the commit or the dependencies change.
@main
struct BuildInfoPlugin: BuildToolPlugin {
    /// The one command that writes `BuildInfo.swift`.
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        let root = context.package.directoryURL
        let output = context.pluginWorkDirectoryURL.appending(path: "BuildInfo.swift")
        let git = root.appending(path: ".git")
        // What names the commit: HEAD, the branch's ref file and the packed refs (a fresh clone keeps refs there).
        var inputs = [git.appending(path: "HEAD"), git.appending(path: "packed-refs"), root.appending(path: "Package.resolved")]
        if let head = try? String(contentsOf: git.appending(path: "HEAD"), encoding: .utf8), head.hasPrefix("ref: ") {
            let reference = head.dropFirst(5).trimmingCharacters(in: .whitespacesAndNewlines)
            inputs.append(git.appending(path: reference))
        }
        return [
            .buildCommand(
                displayName: "Writing build info for \(target.name)",
                executable: try context.tool(named: "ghc-build-info").url,
                arguments: [root.path(percentEncoded: false), output.path(percentEncoded: false)],
                inputFiles: inputs.filter { FileManager.default.fileExists(atPath: $0.path(percentEncoded: false)) },
                outputFiles: [output]
            )
        ]
    }
}
