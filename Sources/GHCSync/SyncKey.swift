/// The three synced files, in the order they are shown.
package enum SyncKey: String, CaseIterable, Sendable {
    /// Claude Code's `~/.claude/settings.json`.
    case claude
    /// Codex's `~/.codex/config.toml` (its header; the `[projects.*]` tail stays on each machine).
    case codex
    /// ghc-api's `config.yaml` (without this machine's `machine_name` and `onedrive_path` lines).
    case ghcAPI = "ghc-api"

    /// The file's name in `configSync/`.
    package var syncName: String {
        switch self {
        case .claude: "claude_settings.json"
        case .codex: "codex_config.toml"
        case .ghcAPI: "ghc_api_config.yaml"
        }
    }

    /// The tag before the file's bytes in the hash.
    var hashTag: String { "[\(rawValue)]" }

    /// The bytes compared between machines and hashed.
    package func shared(_ bytes: [UInt8]) -> [UInt8] {
        switch self {
        case .claude: bytes
        case .codex: CodexConfig.split(bytes).header
        case .ghcAPI: MachineLines.split(bytes).shared
        }
    }

    /// What a push writes to OneDrive: the local file, with the shared copy's Codex tail kept and this machine's
    /// ghc-api lines left out.
    func pushed(local: [UInt8], remote: [UInt8]?) -> [UInt8] {
        switch self {
        case .claude: local
        case .codex: CodexConfig.join(header: CodexConfig.split(local).header, tail: remote.flatMap { CodexConfig.split($0).tail })
        case .ghcAPI: MachineLines.split(local).shared
        }
    }

    /// What a pull writes here: the shared copy, with this machine's Codex tail and ghc-api lines kept.
    func pulled(remote: [UInt8], local: [UInt8]?) -> [UInt8] {
        switch self {
        case .claude: remote
        case .codex: CodexConfig.join(header: CodexConfig.split(remote).header, tail: local.flatMap { CodexConfig.split($0).tail })
        case .ghcAPI:
            MachineLines.join(shared: MachineLines.split(remote).shared, machine: local.map { MachineLines.split($0).machine } ?? [])
        }
    }
}

/// Codex's `config.toml` split at the first `\n[projects.`: the header is shared, the tail (trusted project paths and
/// whatever follows them) belongs to each machine.
enum CodexConfig {
    private static let marker = Array("[projects.".utf8)

    /// The header (without the newline before the tail) and the tail, if any.
    static func split(_ bytes: [UInt8]) -> (header: [UInt8], tail: [UInt8]?) {
        if bytes.starts(with: marker) { return ([], bytes) }
        var index = 0
        while index + marker.count < bytes.count {
            if bytes[index] == 0x0A, bytes[(index + 1)...].starts(with: marker) {
                return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
            }
            index += 1
        }
        return (bytes, nil)
    }

    /// A header and a tail joined as `split` cut them.
    static func join(header: [UInt8], tail: [UInt8]?) -> [UInt8] {
        guard let tail else { return header }
        return header.isEmpty ? tail : header + [0x0A] + tail
    }
}

/// The lines of `config.yaml` that belong to one machine (`machine_name:` and `onedrive_path:` at the top level):
/// left out of what is compared, hashed and pushed, and kept on a pull.
enum MachineLines {
    private static let keys = ["machine_name:", "onedrive_path:"]

    /// The shared lines and this machine's lines, each with their line ends.
    static func split(_ bytes: [UInt8]) -> (shared: [UInt8], machine: [UInt8]) {
        var shared: [UInt8] = []
        var machine: [UInt8] = []
        var start = 0
        while start < bytes.count {
            let end = bytes[start...].firstIndex(of: 0x0A).map { $0 + 1 } ?? bytes.count
            let line = bytes[start..<end]
            if keys.contains(where: { line.starts(with: Array($0.utf8)) }) {
                machine += line
            } else {
                shared += line
            }
            start = end
        }
        return (shared, machine)
    }

    /// Shared lines with a machine's lines after them.
    static func join(shared: [UInt8], machine: [UInt8]) -> [UInt8] {
        guard !machine.isEmpty else { return shared }
        let separator: [UInt8] = shared.isEmpty || shared.last == 0x0A ? [] : [0x0A]
        return shared + separator + machine + (machine.last == 0x0A ? [] : [0x0A])
    }
}
