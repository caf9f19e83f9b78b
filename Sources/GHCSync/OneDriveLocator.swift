import GHCCore

/// Where the OneDrive folder is: `--onedrive`, else `onedrive_path`, else detection. Detection is a pure function of
/// what it is given (environment, home, directory listings, the Windows profile WSL's interop reports), so tests feed
/// it the layouts of WSL, macOS and Linux as data.
package struct OneDriveLocator: Sendable {
    /// The OneDrive folder found, and how.
    package struct Found: Sendable, Equatable {
        /// The folder.
        package var path: String
        /// How it was found: `--onedrive`, `onedrive_path` or `detected`.
        package var how: String

        /// A folder found one way or another.
        package init(path: String, how: String) {
            self.path = path
            self.how = how
        }
    }

    /// The kind of machine.
    package var platform: SyncPlatform
    /// The process environment (`USER`, `USERNAME`).
    package var environment: [String: String]
    /// The home folder.
    package var home: String
    /// The names in a folder, `nil` when it is not one.
    package var list: @Sendable (String) -> [String]?
    /// The Windows profile folder as a WSL path (from `cmd.exe`), when WSL's interop answers.
    package var windowsProfile: @Sendable () -> String?

    /// Creates a locator.
    package init(
        platform: SyncPlatform,
        environment: [String: String],
        home: String,
        list: @escaping @Sendable (String) -> [String]?,
        windowsProfile: @escaping @Sendable () -> String?
    ) {
        self.platform = platform
        self.environment = environment
        self.home = home
        self.list = list
        self.windowsProfile = windowsProfile
    }

    /// The folder named on the command line or in config, else the first one detection finds.
    package func locate(flag: String?, configured: String?) -> Found? {
        if let flag, !flag.isEmpty { return Found(path: flag, how: "--onedrive") }
        if let configured, !configured.isEmpty { return Found(path: configured, how: "onedrive_path in config.yaml") }
        for folder in candidates() {
            if let found = oneDrive(in: folder) { return Found(path: found, how: "detected in \(folder)") }
        }
        return nil
    }

    /// The folders searched, in order: the home folder; on macOS also `~/Library/CloudStorage`; on WSL the Windows
    /// profile that interop names, then `/mnt/c/Users/<USERNAME or USER>`, then the other profiles by name.
    package func candidates() -> [String] {
        switch platform {
        case .linux, .windows: return [home]
        case .mac: return [home, home + "/Library/CloudStorage"]
        case .wsl:
            let users = "/mnt/c/Users"
            guard let names = list(users) else { return [] }
            let wanted = [environment["USERNAME"], environment["USER"]].compactMap { $0?.lowercased() }
            let named = names.filter { wanted.contains($0.lowercased()) }
            let others = names.filter { !wanted.contains($0.lowercased()) && !Self.systemProfiles.contains($0.lowercased()) }
                .sorted { $0.lowercased() < $1.lowercased() }
            var ordered = windowsProfile().map { [$0] } ?? []
            for name in named + others where !ordered.contains(users + "/" + name) { ordered.append(users + "/" + name) }
            return ordered
        }
    }

    /// Windows' own profile folders, never a person's.
    private static let systemProfiles: Set<String> = ["public", "default", "default user", "all users", "defaultapppool"]

    /// `OneDrive - <org>` (the first by name), else `OneDrive`, else on macOS `OneDrive-<org>` or `OneDrive`.
    private func oneDrive(in folder: String) -> String? {
        guard let names = list(folder) else { return nil }
        let organisations = names.filter { $0.lowercased().hasPrefix("onedrive - ") || $0.lowercased().hasPrefix("onedrive-") }
            .sorted { $0.lowercased() < $1.lowercased() }
        for name in organisations + names.filter({ $0 == "OneDrive" }) where list(folder + "/" + name) != nil {
            return folder + "/" + name
        }
        return nil
    }

    /// `C:\Users\me` (as `cmd.exe /c echo %USERPROFILE%` prints it) as `/mnt/c/Users/me`; `nil` for anything else.
    package static func wslPath(fromWindows text: String) -> String? {
        let trimmed = text.trimmedWhitespace
        guard trimmed.count >= 3, let drive = trimmed.first, drive.isLetter, trimmed.dropFirst().hasPrefix(":\\") else { return nil }
        let rest = trimmed.dropFirst(3).split(separator: "\\").joined(separator: "/")
        return "/mnt/\(drive.lowercased())" + (rest.isEmpty ? "" : "/" + rest)
    }
}
