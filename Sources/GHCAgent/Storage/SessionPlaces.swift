import Foundation
import GHCCore
import GHCSync

/// Where agent sessions live: `<OneDrive>/.ghc-api/agents/<machine>/sessions/` when OneDrive is in use (so other
/// machines see them), else `<config dir>/sessions/`; and `workdirs.json` beside them.
package struct SessionPlaces: Sendable {
    /// This machine's name (`machine_name`, else `<hostname>_<OS>`).
    package let machine: String
    /// `<OneDrive>/.ghc-api/agents`, when OneDrive is in use.
    package let agentsRoot: String?
    /// The config directory.
    package let configDirectory: String

    /// Places from explicit parts.
    package init(machine: String, agentsRoot: String?, configDirectory: String) {
        self.machine = machine
        self.agentsRoot = agentsRoot
        self.configDirectory = configDirectory
    }

    /// The places this config gives: OneDrive's when sync is on and the folder is found, else the config directory's.
    package static func resolve(config: GHCConfig, configFile: String, configDirectory: String, sync: SyncEnvironment) -> SessionPlaces {
        let session = try? SyncSetup.session(config: config, configFile: configFile, sync: sync)
        return SessionPlaces(
            machine: session?.machine ?? SyncSetup.machineName(config: config, sync: sync),
            agentsRoot: session?.agents,
            configDirectory: configDirectory
        )
    }

    /// This machine's session folder.
    package var own: SessionFolder {
        SessionFolder(path: agentsRoot.map { "\($0)/\(machine)/sessions" } ?? configDirectory + "/sessions")
    }

    /// The folder of `machine` (this one when nil or empty); nil for a name that is not a plain folder name,
    /// or another machine without OneDrive.
    package func folder(machine name: String?) -> SessionFolder? {
        guard let name, !name.isEmpty, name != machine else { return own }
        guard let agentsRoot, SessionFolder.isValidID(name) else { return nil }
        return SessionFolder(path: "\(agentsRoot)/\(name)/sessions")
    }

    /// This machine first, then every other machine under OneDrive's `agents/`, sorted case-insensitively.
    package func machines() -> [String] {
        guard let agentsRoot else { return [machine] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: agentsRoot)) ?? []
        let others = names.filter { name in
            var isDirectory: ObjCBool = false
            return name != machine && !name.hasPrefix(".")
                && FileManager.default.fileExists(atPath: agentsRoot + "/" + name, isDirectory: &isDirectory) && isDirectory.boolValue
        }
        return [machine] + others.sorted { $0.lowercased() < $1.lowercased() }
    }

    /// `workdirs.json`.
    package var workDirectories: WorkDirectories {
        WorkDirectories(file: agentsRoot.map { "\($0)/\(machine)/workdirs.json" } ?? configDirectory + "/workdirs.json")
    }
}
