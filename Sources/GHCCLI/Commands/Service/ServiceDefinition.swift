/// What a login service of `ghc-api serve` is made of, and its file for each service manager.
struct ServiceDefinition: Sendable, Equatable {
    /// The absolute path of the binary the service runs.
    var binary: String
    /// The config directory the service uses (passed as `GHC_API_CONFIG_DIR`, so it is the one `install` saw).
    var configDirectory: String
    /// The `PATH` the service runs with: the installing shell's, so agents (`claude`, `codex`, `npx`) are found.
    var path: String
    /// Where launchd writes the service's output (systemd uses the journal).
    var logFile: String

    /// The systemd user unit. Sandboxed where it costs nothing: the system is read-only, no privileges can be gained;
    /// the home directory stays writable because the server writes the config directory, Claude Code's and Codex's
    /// settings (sync, agent setup) and the files of the coding agents it runs.
    var systemdUnit: String {
        """
        # ghc-api login service, written by `ghc-api service install`; remove it with `ghc-api service uninstall`.
        [Unit]
        Description=ghc-api: GitHub Copilot as a local OpenAI- and Anthropic-compatible API
        Documentation=man:ghc-api(1)
        After=network-online.target
        Wants=network-online.target

        [Service]
        Type=exec
        ExecStart=\(Self.systemdQuoted(binary, inCommandLine: true)) serve
        Environment=\(Self.systemdQuoted("GHC_API_CONFIG_DIR=" + configDirectory))
        Environment=\(Self.systemdQuoted("PATH=" + path))
        Restart=on-failure
        RestartSec=5
        TimeoutStopSec=20
        UMask=0077
        NoNewPrivileges=yes
        ProtectSystem=full
        ReadWritePaths=\(Self.systemdQuoted(configDirectory))
        ProtectKernelTunables=yes
        ProtectKernelModules=yes
        ProtectKernelLogs=yes
        ProtectControlGroups=yes
        ProtectClock=yes
        RestrictSUIDSGID=yes
        RestrictRealtime=yes
        LockPersonality=yes
        SystemCallArchitectures=native

        [Install]
        WantedBy=default.target

        """
    }

    /// The launchd agent: started at login, started again when it exits with a failure.
    var launchdPlist: String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
        <plist version="1.0">
        <dict>
            <key>Label</key>
            <string>\(ServiceManager.launchdLabel)</string>
            <key>ProgramArguments</key>
            <array>
                <string>\(Self.xmlEscaped(binary))</string>
                <string>serve</string>
            </array>
            <key>EnvironmentVariables</key>
            <dict>
                <key>GHC_API_CONFIG_DIR</key>
                <string>\(Self.xmlEscaped(configDirectory))</string>
                <key>PATH</key>
                <string>\(Self.xmlEscaped(path))</string>
            </dict>
            <key>RunAtLoad</key>
            <true/>
            <key>KeepAlive</key>
            <dict>
                <key>SuccessfulExit</key>
                <false/>
            </dict>
            <key>ThrottleInterval</key>
            <integer>5</integer>
            <key>ProcessType</key>
            <string>Interactive</string>
            <key>StandardOutPath</key>
            <string>\(Self.xmlEscaped(logFile))</string>
            <key>StandardErrorPath</key>
            <string>\(Self.xmlEscaped(logFile))</string>
        </dict>
        </plist>

        """
    }

    /// A value in systemd's double quotes, with `\`, `"` and `%` escaped so it is taken as written, and `$` too
    /// in a command line (the only place systemd expands variables).
    static func systemdQuoted(_ value: String, inCommandLine: Bool = false) -> String {
        var text = "\""
        for character in value {
            switch character {
            case "\\": text += "\\\\"
            case "\"": text += "\\\""
            case "%": text += "%%"
            case "$" where inCommandLine: text += "$$"
            default: text.append(character)
            }
        }
        return text + "\""
    }

    /// Text with XML's special characters escaped.
    static func xmlEscaped(_ value: String) -> String {
        var text = ""
        for character in value {
            switch character {
            case "&": text += "&amp;"
            case "<": text += "&lt;"
            case ">": text += "&gt;"
            case "\"": text += "&quot;"
            default: text.append(character)
            }
        }
        return text
    }
}
