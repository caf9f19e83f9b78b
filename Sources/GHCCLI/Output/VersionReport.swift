import GHCCore

/// What `ghc-api --version` prints, and with `--verbose` the facts of the build.
enum VersionReport {
    /// `ghc-api 2.0.0`, and under `verbose` the commit, build date, Swift version, platform and dependencies.
    static func text(verbose: Bool) -> String {
        var lines = ["ghc-api \(GHCVersion.current)"]
        guard verbose else { return lines[0] + "\n" }
        lines.append("commit:       \(BuildInfo.commit)")
        lines.append("built:        \(BuildInfo.date)")
        lines.append("swift:        \(compiler)")
        lines.append("platform:     \(platform)")
        lines.append("dependencies:")
        let width = BuildInfo.dependencies.map(\.name.count).max() ?? 0
        for dependency in BuildInfo.dependencies {
            lines.append("  " + dependency.name + String(repeating: " ", count: width - dependency.name.count + 2) + dependency.version)
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The version of the Swift compiler that built this binary, as the compiler itself reports it.
    static var compiler: String {
        #if compiler(>=6.5)
        "6.5 or later"
        #elseif compiler(>=6.4)
        "6.4"
        #elseif compiler(>=6.3.3)
        "6.3.3 or a later 6.3"
        #elseif compiler(>=6.3.2)
        "6.3.2"
        #elseif compiler(>=6.3.1)
        "6.3.1"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2.1)
        "6.2.1 or a later 6.2"
        #else
        "6.2"
        #endif
    }

    /// The operating system and processor it was built for.
    static var platform: String {
        #if os(Linux)
        let system = "Linux"
        #elseif os(macOS)
        let system = "macOS"
        #else
        let system = "other"
        #endif
        #if arch(x86_64)
        return system + " x86_64"
        #elseif arch(arm64)
        return system + " arm64"
        #else
        return system
        #endif
    }
}
