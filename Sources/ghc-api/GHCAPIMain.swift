import GHCCLI

#if canImport(Glibc)
import Glibc
#endif

/// The `ghc-api` executable: everything lives in `GHCCLI`.
@main
struct GHCAPIMain {
    /// Runs the CLI with the process's arguments and exits with its status.
    static func main() async {
        let status = await GHCCLI.run(Array(CommandLine.arguments.dropFirst()), context: .process())
        exit(status.rawValue)
    }
}
