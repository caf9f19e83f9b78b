/// The service managers `ghc-api service` writes for, and what it runs to drive each.
enum ServiceManager: String, Sendable, CaseIterable {
    /// A systemd user unit (Linux).
    case systemd
    /// A launchd agent (macOS).
    case launchd

    /// The launchd agent's label.
    static let launchdLabel = "com.github.ghc-api"
    /// The systemd unit's name.
    static let unitName = "ghc-api.service"

    /// The manager of the platform this binary was built for.
    static var native: ServiceManager {
        #if os(macOS)
        .launchd
        #else
        .systemd
        #endif
    }

    /// Where the service file goes for a user with this home and environment.
    func file(home: String, environment: [String: String]) -> String {
        switch self {
        case .systemd:
            let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil } ?? home + "/.config"
            return base + "/systemd/user/" + Self.unitName
        case .launchd: return home + "/Library/LaunchAgents/" + Self.launchdLabel + ".plist"
        }
    }

    /// Where launchd writes the service's output.
    static func launchdLog(home: String) -> String { home + "/Library/Logs/ghc-api.log" }

    /// The file's text for `definition`.
    func text(of definition: ServiceDefinition) -> String {
        self == .systemd ? definition.systemdUnit : definition.launchdPlist
    }

    /// The commands that load, enable and start the service once its file is in place.
    func startCommands(file: String, userID: UInt32) -> [[String]] {
        switch self {
        case .systemd:
            [["systemctl", "--user", "daemon-reload"], ["systemctl", "--user", "enable", "--now", Self.unitName]]
        case .launchd: [["launchctl", "bootstrap", "gui/\(userID)", file]]
        }
    }

    /// The commands that stop and disable the service before its file is removed.
    func stopCommands(file: String, userID: UInt32) -> [[String]] {
        switch self {
        case .systemd: [["systemctl", "--user", "disable", "--now", Self.unitName]]
        case .launchd: [["launchctl", "bootout", "gui/\(userID)/\(Self.launchdLabel)"]]
        }
    }

    /// The command that says whether the service runs (exit 0 when it does).
    func statusCommand(userID: UInt32) -> [String] {
        switch self {
        case .systemd: ["systemctl", "--user", "is-active", Self.unitName]
        case .launchd: ["launchctl", "print", "gui/\(userID)/\(Self.launchdLabel)"]
        }
    }

    /// The command that shows the service's log.
    func logCommand(lines: Int, follow: Bool, home: String) -> [String] {
        switch self {
        case .systemd:
            ["journalctl", "--user", "-u", Self.unitName, "-n", "\(lines)", "--no-pager"] + (follow ? ["-f"] : [])
        case .launchd: ["tail", "-n", "\(lines)"] + (follow ? ["-F"] : []) + [Self.launchdLog(home: home)]
        }
    }
}
