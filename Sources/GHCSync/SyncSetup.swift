import GHCCore
import Synchronization

#if canImport(Foundation)
import Foundation
#endif

/// Finds the OneDrive folder and this machine's name from the flags, the config and the machine.
package enum SyncSetup {
    /// The session for this machine, or why there is none (sync off, no OneDrive folder).
    /// - Parameters:
    ///   - flag: `--onedrive DIR`, when given.
    ///   - sync: the environment and home folder.
    ///   - locator: how to search; the real machine's by default.
    package static func session(
        config: GHCConfig,
        configFile: String,
        flag: String? = nil,
        sync: SyncEnvironment,
        locator: OneDriveLocator? = nil
    ) throws(SyncError) -> SyncSession {
        let named = (flag ?? "").isEmpty == false || !config.oneDrivePath.isEmpty
        if config.disablesOneDrive && !named { throw .disabled }
        let platform = SyncPlatform.current(environment: sync.environment)
        let search = locator ?? machineLocator(platform: platform, environment: sync.environment, home: sync.home)
        guard let found = search.locate(flag: flag, configured: config.oneDrivePath) else {
            throw .notFound(search.candidates().joined(separator: ", "))
        }
        guard FileStore.exists(found.path) else { throw .notFound(found.path) }
        return SyncSession(root: found, machine: machineName(config: config, sync: sync), home: sync.home, configFile: configFile)
    }

    /// This machine's name: `machine_name`, else `<hostname>_<OS>`.
    package static func machineName(config: GHCConfig, sync: SyncEnvironment) -> String {
        config.machineName.isEmpty
            ? SyncPlatform.machineName(platform: SyncPlatform.current(environment: sync.environment)) : config.machineName
    }

    /// The locator of this machine: real folder listings, and on WSL the Windows profile from `cmd.exe`.
    package static func machineLocator(platform: SyncPlatform, environment: [String: String], home: String) -> OneDriveLocator {
        OneDriveLocator(
            platform: platform,
            environment: environment,
            home: home,
            list: { path in
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue else { return nil }
                return (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
            },
            windowsProfile: { platform == .wsl ? cachedWindowsProfile() : nil }
        )
    }

    /// The Windows profile, asked of `cmd.exe` once per process (it takes up to 3 s, and does not change).
    private static func cachedWindowsProfile() -> String? {
        profile.withLock { cached in
            if let cached { return cached }
            let answer = windowsProfile()
            cached = .some(answer)
            return answer
        }
    }

    private static let profile = Mutex<String??>(nil)

    /// `%USERPROFILE%` from `cmd.exe` (WSL interop), as a WSL path; `nil` when interop does not answer in 3 s.
    private static func windowsProfile() -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/mnt/c/Windows/System32/cmd.exe")
        process.arguments = ["/c", "echo", "%USERPROFILE%"]
        process.currentDirectoryURL = URL(fileURLWithPath: "/mnt/c")
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let deadline = Date().addingTimeInterval(3)
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning {
            process.terminate()
            return nil
        }
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return OneDriveLocator.wslPath(fromWindows: output)
    }
}
