import GHCCore
import GHCUpstream

/// `ghc-api auth …`: GitHub login, status and logout.
enum AuthCommand {
    /// The `auth` command and its `login`, `status` and `logout` subcommands.
    static let spec = CommandSpec(
        "auth",
        summary: "Log in to GitHub, show the login, log out",
        discussion:
            "The GitHub token is taken from GITHUB_TOKEN, else from <config dir>/github_token.txt (mode 0600), which `auth login` writes.",
        subcommands: [
            CommandSpec(
                "login",
                summary: "Log in with GitHub's device flow and save the token",
                flags: [.toggle("no-browser", "Do not try to open the verification page in a browser")],
                examples: [CommandExample("auth login", "Prints a code and a URL, waits for you to approve, saves the token")],
                handler: login
            ),
            CommandSpec(
                "status",
                summary: "Show where the token comes from, the GitHub login, the Copilot plan and token expiry",
                flags: [
                    .toggle(
                        "json",
                        "Print JSON: {logged_in, source, token_file, token_prefix, login, copilot_plan, copilot_api_base_url, copilot_token_expires_at, error}"
                    )
                ],
                examples: [CommandExample("auth status --json", "Machine-readable status; exit 1 when not usable")],
                handler: status
            ),
            CommandSpec("logout", summary: "Remove the saved token file", handler: logout),
        ]
    )

    /// Runs GitHub's device flow, saves the token it yields, and names the account it belongs to.
    static func login(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        guard let web = loaded.config.githubWebBaseURL else {
            throw UpstreamError.deviceFlowUnavailable(
                "no GitHub web host is known for \(loaded.config.githubAPIBaseURL); set github_base_url in \(loaded.location.configFile)"
            )
        }
        let flow = DeviceFlow(http: context.http, webBaseURL: web, sleep: context.sleep)
        let authorization = try await flow.start()
        let style = context.style
        context.stdout.line(
            "To log in, open \(style.bold(authorization.verificationURI)) and enter the code \(style.bold(authorization.userCode))"
        )
        if context.stdoutIsTerminal, !arguments.has("no-browser"), context.openBrowser(authorization.verificationURI) {
            context.stdout.line(style.dim("(opened in your browser)"))
        }
        context.stdout.line("Waiting for approval (the code expires in \(authorization.expiresIn / 60) minutes; Ctrl-C to stop)…")
        let terminal = context.stdoutIsTerminal
        let output = context.stdout
        let token = try await flow.waitForToken(authorization) { event in
            switch event {
            case .pending: if terminal { output.write(".") }
            case .slowDown(let interval): output.line("GitHub asked to poll more slowly; now every \(interval) s")
            case .retrying(let reason): output.line("Poll failed (\(reason)); retrying")
            }
        }
        if terminal { output.line() }
        try GitHubCredential.save(token, location: loaded.location)
        let identity = UpstreamIdentity(config: loaded.config)
        let account = try? await GitHubAccount.fetch(
            http: context.http,
            githubAPIBaseURL: loaded.config.githubAPIBaseURL,
            identity: identity,
            githubToken: token
        )
        context.stdout.line(
            style.green("Logged in") + (account.map { " as \($0.login)" } ?? "")
                + ". Token saved to \(loaded.location.githubTokenFile) (mode 0600)."
        )
        if context.environment["GITHUB_TOKEN"]?.isEmpty == false {
            context.stdout.line(style.yellow("Note: GITHUB_TOKEN is set and is used before the saved token."))
        }
        return .success
    }

    /// Prints the status report as text or JSON; exits 1 when not logged in or the token does not work.
    static func status(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let report = await AuthStatusReport.gather(loaded, context)
        if arguments.has("json") {
            context.stdout.line(report.json.jsonString(pretty: true))
        } else {
            context.stdout.write(report.text(style: context.style))
        }
        return report.loggedIn && report.error == nil ? .success : .failure
    }

    /// Removes the saved token file, warning when `GITHUB_TOKEN` still logs in.
    static func logout(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let file = loaded.location.githubTokenFile
        if try FileStore.remove(file) {
            context.stdout.line("Removed the saved token \(file)")
        } else {
            context.stdout.line("No saved token at \(file); nothing to remove")
        }
        if context.environment["GITHUB_TOKEN"]?.isEmpty == false {
            context.stdout.line(
                context.style.yellow("GITHUB_TOKEN is still set in this environment and still logs you in; unset it to log out fully.")
            )
        }
        return .success
    }
}
