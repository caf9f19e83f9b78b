#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The kind of machine, as the machine name and the OneDrive search know it.
package enum SyncPlatform: String, Sendable, Equatable {
    /// Linux.
    case linux = "Linux"
    /// Linux under Windows (WSL).
    case wsl = "WSL"
    /// macOS (the original wrote `Linux`; folders it named so are still read).
    case mac = "Mac"
    /// Windows.
    case windows = "Win"

    /// This machine: WSL when `WSL_DISTRO_NAME` is set or the kernel's release names Microsoft.
    package static func current(environment: [String: String]) -> SyncPlatform {
        #if os(macOS)
        return .mac
        #elseif os(Windows)
        return .windows
        #else
        return isWSL(environment: environment, kernelRelease: kernelRelease) ? .wsl : .linux
        #endif
    }

    /// Whether the environment or kernel release say WSL.
    package static func isWSL(environment: [String: String], kernelRelease: String) -> Bool {
        !(environment["WSL_DISTRO_NAME"] ?? "").isEmpty || kernelRelease.lowercased().contains("microsoft")
    }

    /// `uname -r`.
    private static var kernelRelease: String {
        var names = utsname()
        guard uname(&names) == 0 else { return "" }
        return withUnsafeBytes(of: &names.release) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// `<hostname>_<OS>`, the folder of this machine under `agents/`.
    package static func machineName(platform: SyncPlatform) -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        let host =
            gethostname(&buffer, buffer.count) == 0
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self) : "host"
        return "\(host)_\(platform.rawValue)"
    }
}
