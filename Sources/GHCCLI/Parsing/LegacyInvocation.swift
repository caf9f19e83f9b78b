/// The command lines of ghc-api 1.0.x, still accepted at the root so that old scripts, service files and habits keep
/// working, each rewritten to today's spelling with a note that names it:
///
/// | 1.0.x | today |
/// | --- | --- |
/// | `ghc-api` with no terminal (or `GHC_API_LEGACY=1`) | `ghc-api serve` (on a terminal, bare `ghc-api` prints help) |
/// | `ghc-api -p 9000 -a 0.0.0.0` | `ghc-api serve -p 9000 -a 0.0.0.0` |
/// | `ghc-api -v` | `ghc-api --version` |
/// | `ghc-api -c`, `ghc-api --config` (alone) | `ghc-api config init` |
/// | `ghc-api --github-device-login`, `--delete-github-token` | `ghc-api auth login`, `ghc-api auth logout` |
///
/// `-c` and `--config` alone keep 1.0.x's meaning; followed by a file (`ghc-api -c FILE serve`) they name the config
/// file, as everywhere else.
struct LegacyInvocation: Equatable {
    /// Today's arguments.
    let arguments: [String]
    /// The note for standard error, naming today's spelling.
    let note: String

    /// Flags of 1.0.x's server invocation, which `serve` takes under the same names.
    static let serveFlags: Set<String> = ["-p", "--port", "-a", "--address"]

    /// The rewrite of a 1.0.x command line, or `nil` when `arguments` are today's.
    static func translate(_ arguments: [String], stdoutIsTerminal: Bool, environment: [String: String]) -> LegacyInvocation? {
        guard let first = arguments.first else {
            guard environment["GHC_API_LEGACY"] == "1" || !stdoutIsTerminal else { return nil }
            return LegacyInvocation(
                arguments: ["serve"],
                note: "no terminal: serving as ghc-api 1.0.x did; the command is now `ghc-api serve`"
            )
        }
        let name = String(first.prefix { $0 != "=" })
        if serveFlags.contains(name) || (first.hasPrefix("-p") && first.count > 2 && first.dropFirst(2).allSatisfy(\.isNumber)) {
            let today = ["serve"] + arguments
            return LegacyInvocation(arguments: today, note: "the server is now started with `ghc-api \(today.joined(separator: " "))`")
        }
        guard arguments.count == 1 else { return nil }
        switch first {
        case "-v":
            return LegacyInvocation(
                arguments: ["--version"],
                note: "the version is now `ghc-api --version` (-v means --verbose after a command)"
            )
        case "-c", "--config":
            return LegacyInvocation(arguments: ["config", "init"], note: "the default config is now written by `ghc-api config init`")
        case "--github-device-login":
            return LegacyInvocation(arguments: ["auth", "login"], note: "logging in is now `ghc-api auth login`")
        case "--delete-github-token":
            return LegacyInvocation(arguments: ["auth", "logout"], note: "the token is now removed by `ghc-api auth logout`")
        default:
            return nil
        }
    }
}
