import GHCCLI
import GHCCore
import GHCStandIn
import GHCTestSupport
import Testing

/// The built executable, spawned as a user runs it.
@Suite struct BinaryTests {
    let binary = BuiltBinary()

    @Test func helpAndVersion() async throws {
        let help = try await binary.run(["--help"])
        #expect(help.status == 0)
        for command in ["auth", "config", "models", "completions", "manpage"] { #expect(help.stdout.contains("  \(command) ")) }
        #expect(!help.stdout.contains("\u{1B}["), "no colour without a terminal")
        let version = try await binary.run(["--version"])
        #expect(version.stdout == "ghc-api \(GHCVersion.current)\n")
        let sub = try await binary.run(["help", "config", "set"])
        #expect(sub.stdout.contains("Usage: ghc-api config set [OPTIONS] KEY VALUE"))
    }

    @Test func aUsageErrorIsOneLineWithAHintAndExit64() async throws {
        let result = try await binary.run(["modles"])
        #expect(result.status == 64)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "ghc-api: unknown command 'modles'; did you mean 'models'?\nhint: run 'ghc-api help' for usage\n")
    }

    @Test func configRoundTripInATemporaryHome() async throws {
        try await TemporaryDirectory.with { home in
            let env = ["HOME": home.path]
            let path = try await binary.run(["config", "path"], environment: env)
            #expect(path.stdout == home.path + "/.ghc-api/config.yaml\n")
            #expect(try await binary.run(["config", "init"], environment: env).status == 0)
            #expect(FileStore.permissions(of: home.path + "/.ghc-api") == 0o700)
            #expect(try await binary.run(["config", "check"], environment: env).stdout.hasSuffix(": OK\n"))
            let set = try await binary.run(["config", "set", "port", "9100"], environment: env)
            #expect(set.status == 0)
            #expect(set.stdout.contains("previous file saved as"))
            #expect(try await binary.run(["config", "get", "port"], environment: env).stdout == "9100\n")
            let bad = try await binary.run(["config", "set", "port", "http"], environment: env)
            #expect(bad.status == 1)
            #expect(bad.stderr.hasPrefix("ghc-api: port: expected a whole number from 1 to 65535, found 'http'"))
            let json = try await binary.run(["config", "show", "--json"], environment: env)
            let shown = try JSONValue.parse(Array(json.stdout.utf8))
            #expect(shown["values"]?["port"] == 9100)
            #expect(shown["explicit_keys"]?.arrayValue?.contains("port") == true)
            try home.write(".ghc-api/config.yaml", "port: [1]\ncolour: blue\n")
            let check = try await binary.run(["config", "check"], environment: env)
            #expect(check.status == 1)
            #expect(check.stderr.contains("config.yaml:1: port: expected a whole number"))
            #expect(check.stderr.contains("config.yaml:2: warning: colour: unknown key, kept but ignored"))
            let serveWithBadConfig = try await binary.run(["models"], environment: env)
            #expect(serveWithBadConfig.status == 1)
            #expect(serveWithBadConfig.stderr.contains("config.yaml:1: port"))
        }
    }

    @Test func loginAndModelsAgainstTheStandIn() async throws {
        try await StandInUpstream.with(scenario: StandInScenario(devicePollOutcomes: ["authorization_pending", "slow_down"])) { upstream in
            try await TemporaryDirectory.with { home in
                let env = ["HOME": home.path, "GHC_API_CONFIG_DIR": home.path + "/cfg"]
                try FileStore.ensureDirectory(home.path + "/cfg")
                try home.write("cfg/config.yaml", "github_api_base_url: \(upstream.baseURL)\ngithub_base_url: \(upstream.baseURL)\n")
                let loggedOut = try await binary.run(["models"], environment: env)
                #expect(loggedOut.status == 1)
                #expect(loggedOut.stderr == "ghc-api: not logged in to GitHub; run `ghc-api auth login` (or set GITHUB_TOKEN)\n")

                // slow_down adds 5 s to the stand-in's 0 s interval, so this login takes about 5 s.
                let login = try await binary.run(["auth", "login"], environment: env)
                #expect(login.status == 0, "\(login.stderr)")
                #expect(login.stdout.contains("enter the code ABCD-1234"))
                #expect(login.stdout.contains("Logged in as octocat."))
                #expect(FileStore.permissions(of: home.path + "/cfg/github_token.txt") == 0o600)
                #expect(home.read("cfg/github_token.txt") == StandInScenario.githubToken)

                let models = try await binary.run(["models"], environment: env)
                #expect(models.status == 0)
                #expect(models.stdout.hasPrefix("ID "))
                #expect(models.stdout.contains("claude-sonnet-4.5"))
                #expect(models.stdout.contains("200K"))
                #expect(models.stdout.contains("/chat/completions /v1/messages"))

                let status = try await binary.run(["auth", "status", "--json"], environment: env)
                #expect(status.status == 0)
                let report = try JSONValue.parse(Array(status.stdout.utf8))
                #expect(report["source"] == "file")
                #expect(report["login"] == "octocat")
                #expect(report["copilot_plan"] == "individual")
                #expect(report["copilot_api_base_url"] == .string(upstream.baseURL))
                #expect(!status.stdout.contains(StandInScenario.githubToken))

                let logout = try await binary.run(["auth", "logout"], environment: env)
                #expect(logout.stdout.hasPrefix("Removed the saved token"))
                #expect(try await binary.run(["auth", "logout"], environment: env).stdout.hasPrefix("No saved token"))
                let after = try await binary.run(["auth", "status"], environment: env)
                #expect(after.status == 1)
                #expect(after.stdout.contains("Token source  unconfigured"))
            }
        }
    }

    @Test func aDeniedLoginLeavesNoTokenFile() async throws {
        try await StandInUpstream.with(scenario: StandInScenario(devicePollOutcomes: ["access_denied"])) { upstream in
            try await TemporaryDirectory.with { home in
                try FileStore.ensureDirectory(home.path + "/cfg")
                try home.write("cfg/config.yaml", "github_api_base_url: \(upstream.baseURL)\ngithub_base_url: \(upstream.baseURL)\n")
                let login = try await binary.run(
                    ["auth", "login"],
                    environment: ["HOME": home.path, "GHC_API_CONFIG_DIR": home.path + "/cfg"]
                )
                #expect(login.status == 1)
                #expect(login.stderr == "ghc-api: the authorization was denied on GitHub\n")
                #expect(home.read("cfg/github_token.txt") == nil)
            }
        }
    }
}
