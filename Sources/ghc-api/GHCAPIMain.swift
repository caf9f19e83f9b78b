import GHCCLI

#if canImport(Glibc)
import Glibc
#endif

/// The `ghc-api` executable: everything lives in `GHCCLI`.
@main
struct GHCAPIMain {
    /// Runs the CLI with the process's arguments and exits with its status.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        GHCCLI.prepareProcess(for: arguments)
        let status = await GHCCLI.run(arguments, context: .process())
        exit(status.rawValue)
    }
}
