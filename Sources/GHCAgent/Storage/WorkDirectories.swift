import Foundation
import GHCCore

/// `workdirs.json`: the 20 most recent working directories of new sessions, newest first.
package struct WorkDirectories: Sendable {
    /// How many are kept.
    package static let limit = 20
    /// The file.
    package let file: String

    /// The list in `file`.
    package init(file: String) {
        self.file = file
    }

    /// The directories, newest first (empty when the file is missing or damaged).
    package func list() -> [String] {
        guard let data = FileManager.default.contents(atPath: file), let value = try? JSONParser.parse(Array(data)) else { return [] }
        return (value["dirs"]?.arrayValue ?? []).compactMap(\.stringValue)
    }

    /// Puts `directory` first, dropping an earlier entry for the same place, and keeps 20.
    package func remember(_ directory: String) throws(AgentError) {
        let key = WorkspaceAccess.normalized(directory)
        let others = list().filter { WorkspaceAccess.normalized($0) != key }
        let dirs = ([directory] + others).prefix(Self.limit).map { JSONValue.string($0) }
        do {
            try FileStore.writeAtomically(JSONValue.object(["dirs": .array(Array(dirs))]).jsonString(pretty: true) + "\n", to: file)
        } catch {
            throw .storage("cannot write \(file): \(error)")
        }
    }
}
