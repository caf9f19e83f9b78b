import GHCCore
import GHCUpstream

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `ghc-api service …`: `serve` as a login service (a systemd user unit, or a launchd agent on macOS).
enum ServiceCommand {
    /// The service manager flag shared by the subcommands.
    private static let managerFlag = FlagSpec.option(
        "manager",
        .choice(ServiceManager.allCases.map(\.rawValue)),
        "Write for this service manager",
        default: "\(ServiceManager.native.rawValue) on this system"
    )

    /// The `service` command and its `install`, `uninstall`, `status` and `logs` subcommands.
    static let spec = CommandSpec(
        "service",
        summary: "Run `ghc-api serve` as a login service: install, uninstall, status, logs",
        discussion:
            "On Linux a systemd user unit (~/.config/systemd/user/ghc-api.service: restarted on failure, the system read-only to it); on macOS a launchd agent (~/Library/LaunchAgents/com.github.ghc-api.plist). The service runs this binary by its absolute path, with this config directory and this PATH. Where `systemctl --user` cannot be used (containers), install writes the file and says what to run.",
        subcommands: [
            CommandSpec(
                "install",
                summary: "Write the service file, then enable and start it",
                flags: [.toggle("dry-run", "Print the file and the commands instead of writing or running anything"), managerFlag],
                examples: [CommandExample("service install --dry-run", "See the unit that would be installed")],
                handler: install
            ),
            CommandSpec(
                "uninstall",
                summary: "Stop and disable the service, then remove its file",
                flags: [.toggle("dry-run", "Print what would be run and removed"), managerFlag],
                handler: uninstall
            ),
            CommandSpec(
                "status",
                summary: "Show whether the service is installed and running, and whether the server answers",
                flags: [managerFlag],
                handler: status
            ),
            CommandSpec(
                "logs",
                summary: "Show the service's log (journalctl on Linux, its log file on macOS)",
                flags: [
                    .option("lines", short: "n", .integer("N", 1...100_000), "How many of the latest lines", default: "50"),
                    .toggle("follow", short: "f", "Keep printing new lines until Ctrl-C"),
                ],
                handler: logs
            ),
        ]
    )

    /// The manager chosen with `--manager`, else this system's.
    private static func manager(_ arguments: ParsedArguments) -> ServiceManager {
        arguments.value("manager").flatMap(ServiceManager.init(rawValue:)) ?? .native
    }

    /// Writes the service file and starts the service, or prints both under `--dry-run`.
    static func install(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let manager = manager(arguments)
        let binary = try currentExecutable()
        let definition = ServiceDefinition(
            binary: binary,
            configDirectory: loaded.location.directory,
            path: context.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin",
            logFile: ServiceManager.launchdLog(home: context.home)
        )
        let file = manager.file(home: context.home, environment: context.environment)
        let text = manager.text(of: definition)
        let start = manager.startCommands(file: file, userID: getuid())
        if arguments.has("dry-run") {
            context.stdout.line("Would write \(file):")
            context.stdout.write(text)
            context.stdout.line("Would run:")
            for command in start { context.stdout.line("    " + command.joined(separator: " ")) }
            return .success
        }
        if binary.contains("/.build/") {
            context.stderr.line(
                context.errorStyle.yellow(
                    "note: the service runs \(binary), inside a build folder; `make install` puts it somewhere lasting"
                )
            )
        }
        try FileStore.ensureDirectory(FileStore.parentDirectory(of: file), mode: 0o755)
        try FileStore.writeAtomically(text, to: file, mode: 0o644)
        context.stdout.line("Wrote \(file) (runs \(binary) serve)")
        for command in start {
            let outcome = await SystemCommand.run(command)
            guard outcome.succeeded else {
                context.stdout.line(
                    context.style.yellow(
                        "`\(command.joined(separator: " "))` did not work here: \(outcome.output.isEmpty ? "no output" : outcome.output)"
                    )
                )
                context.stdout.line("The file is in place. Start the service where the service manager runs, with:")
                for step in start { context.stdout.line("    " + step.joined(separator: " ")) }
                context.stdout.line("In a container without one, run `\(binary) serve` under the container's own supervisor.")
                return .success
            }
        }
        context.stdout.line(context.style.green("Installed and started") + "; it starts again at login and after a failure.")
        if manager == .systemd {
            context.stdout.line("To run it without a login session (a server), also run: loginctl enable-linger \(userName(context))")
        }
        context.stdout.line("Check it with `ghc-api service status`; read its log with `ghc-api service logs`.")
        return .success
    }

    /// Stops the service and removes its file, or prints what it would do under `--dry-run`.
    static func uninstall(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let manager = manager(arguments)
        let file = manager.file(home: context.home, environment: context.environment)
        let stop = manager.stopCommands(file: file, userID: getuid())
        guard FileStore.exists(file) else {
            context.stdout.line("No service file at \(file); nothing to uninstall")
            return .success
        }
        if arguments.has("dry-run") {
            context.stdout.line("Would run:")
            for command in stop { context.stdout.line("    " + command.joined(separator: " ")) }
            context.stdout.line("Would remove \(file)")
            return .success
        }
        for command in stop {
            let outcome = await SystemCommand.run(command)
            if !outcome.succeeded {
                context.stdout.line("`\(command.joined(separator: " "))` did not work here (\(outcome.output)); the file is removed anyway")
            }
        }
        _ = try FileStore.remove(file)
        if manager == .systemd { _ = await SystemCommand.run(["systemctl", "--user", "daemon-reload"]) }
        context.stdout.line("Removed \(file)")
        return .success
    }

    /// Prints the service file, what the service manager says and whether the server answers; exits 0 when it does.
    static func status(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let loaded = try LoadedConfig.load(arguments, context)
        let manager = manager(arguments)
        let file = manager.file(home: context.home, environment: context.environment)
        let style = context.style
        var rows: [(String, String)] = []
        let installed = FileStore.exists(file)
        rows.append(("Service file", file + (installed ? " (installed)" : " (not installed; run: ghc-api service install)")))
        if installed, let command = try FileStore.readText(file).flatMap(Self.command(inServiceFile:)) {
            rows.append(("Runs", command))
        }
        let state = await SystemCommand.run(manager.statusCommand(userID: getuid()))
        let tool = manager == .systemd ? "systemctl --user" : "launchctl"
        let said = state.output.split(separator: "\n").first.map(String.init) ?? ""
        rows.append(("Manager", state.status == nil ? "\(tool): not available" : "\(tool): \(said.isEmpty ? "no answer" : said)"))
        let url = ProxyAddress.url(address: loaded.config.address, port: loaded.config.port) + "/healthz"
        let answer = try? await context.http.send(UpstreamRequest(method: "GET", url: url), timeout: .seconds(3))
        let answers = answer?.status == 200
        rows.append(("Server", url + (answers ? " answers: " + style.green("ok") : " does not answer")))
        for (label, value) in rows { context.stdout.line(label.padding(14) + value) }
        return answers ? .success : .failure
    }

    /// Shows the service's log.
    static func logs(_ arguments: ParsedArguments, _ context: CommandContext) async throws -> ExitCode {
        let manager = ServiceManager.native
        let command = manager.logCommand(lines: arguments.integer("lines") ?? 50, follow: arguments.has("follow"), home: context.home)
        guard let status = await SystemCommand.passThrough(command) else {
            throw CommandFailure(
                "\(command[0]) is not available here, so the service's log cannot be shown; `ghc-api serve` logs to stderr"
            )
        }
        return status == 0 ? .success : .failure
    }

    /// The command line a service file runs: systemd's `ExecStart`, or launchd's `ProgramArguments`.
    static func command(inServiceFile text: String) -> String? {
        let lines = text.split(separator: "\n").map { $0.trimmedWhitespace }
        if let line = lines.first(where: { $0.hasPrefix("ExecStart=") }) {
            return String(line.dropFirst("ExecStart=".count)).replacingAll("\"", with: "")
        }
        guard let start = lines.firstIndex(of: "<key>ProgramArguments</key>") else { return nil }
        let words = lines[(start + 1)...].prefix { $0 != "</array>" }.filter { $0.hasPrefix("<string>") && $0.hasSuffix("</string>") }
        return words.map { $0.dropFirst("<string>".count).dropLast("</string>".count) }.joined(separator: " ")
    }

    /// The absolute path of the running binary.
    static func currentExecutable() throws(CommandFailure) -> String {
        #if os(Linux)
        var buffer = [CChar](repeating: 0, count: 4096)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        if count > 0 { return String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) }
        #endif
        guard let resolved = realpath(CommandLine.arguments[0], nil) else {
            throw CommandFailure("cannot tell where this ghc-api binary is; run it by its full path")
        }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The user's login name, for `loginctl enable-linger`.
    private static func userName(_ context: CommandContext) -> String {
        context.environment["USER"] ?? context.environment["LOGNAME"] ?? "$USER"
    }
}
