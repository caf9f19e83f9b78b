import Yams

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Changes `config.yaml` safely: validates the new value, keeps comments and unknown keys,
/// backs the old file up with a timestamp, and replaces it atomically.
package struct ConfigEditor: Sendable {
    /// The file to edit.
    package let path: String

    /// Creates an editor for `path`.
    package init(path: String) {
        self.path = path
    }

    /// The result of an edit.
    package struct Outcome: Sendable {
        /// Where the previous file was copied, if there was one.
        package let backupPath: String?
        /// Problems elsewhere in the file, which the edit left as they were.
        package let otherProblems: [ConfigProblem]
    }

    /// Sets `keyPath` (a top-level key, or `key.sub.sub` inside a mapping) to `rawValue`.
    ///
    /// The value is read as YAML (`[a, b]`, `{x: y}`, `true`, `9000`), except for string keys, which take it verbatim.
    package func set(_ keyPath: String, to rawValue: String, now: Date = Date()) throws(ConfigError) -> Outcome {
        let parts = keyPath.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        guard let topName = parts.first, let key = ConfigSchema.key(named: topName) else {
            throw .unknownKey(keyPath, suggestion: Suggestion.closest(to: keyPath, among: ConfigSchema.keys.map(\.name)))
        }
        let document = try ConfigDocument.load(path: path)
        let innerKind: ConfigValueKind = parts.count == 1 ? key.kind : nestedKind(of: key, depth: parts.count - 1)
        let valueNode = try parseValue(rawValue, kind: innerKind, keyPath: keyPath)
        var newTop = valueNode
        if parts.count > 1 {
            guard key.kind == .mappingTable || key.kind == .stringMap || key.kind == .listTable else {
                throw .invalidValue(key: keyPath, message: "'\(topName)' has no entries to set; set it whole")
            }
            let current = document.node(for: topName) ?? key.defaultValue.yamlNode
            newTop = try setting(Array(parts.dropFirst()), in: current, to: valueNode, keyPath: keyPath)
        }
        return try write(document.replacing(key: topName, with: newTop), changedKey: topName, previous: document, now: now)
    }

    /// Checks top-level `changes` against the file and, when `save`, writes them (with a backup).
    /// - Returns: the checked values of the changed keys, and the outcome when saved.
    package func apply(
        _ changes: [String: JSONValue],
        save: Bool,
        now: Date = Date()
    ) throws(ConfigError) -> (values: [String: JSONValue], outcome: Outcome?) {
        let previous = try ConfigDocument.load(path: path)
        var document = previous
        for (key, value) in changes.sorted(by: { $0.key < $1.key }) {
            guard ConfigSchema.key(named: key) != nil else {
                throw .unknownKey(key, suggestion: Suggestion.closest(to: key, among: ConfigSchema.keys.map(\.name)))
            }
            document = try document.replacing(key: key, with: value.yamlNode)
        }
        let (config, problems) = GHCConfig.check(document)
        if let first = problems.first(where: { problem in
            problem.severity == .error
                && changes.keys.contains {
                    problem.key == $0 || problem.key?.hasPrefix($0 + ".") == true || problem.key?.hasPrefix($0 + "[") == true
                }
        }) {
            throw .invalidValue(key: first.key ?? "", message: first.message)
        }
        let values = Dictionary(uniqueKeysWithValues: changes.keys.map { ($0, config.value($0)) })
        guard save else { return (values, nil) }
        let changedKeys = Array(changes.keys)
        return (values, try write(document, changedKey: changedKeys.first ?? "", previous: previous, now: now))
    }

    /// Removes a top-level key, so its default applies again.
    package func unset(_ key: String, now: Date = Date()) throws(ConfigError) -> Outcome {
        let document = try ConfigDocument.load(path: path)
        guard ConfigSchema.key(named: key) != nil || document.node(for: key) != nil else {
            throw .unknownKey(key, suggestion: Suggestion.closest(to: key, among: ConfigSchema.keys.map(\.name)))
        }
        return try write(document.replacing(key: key, with: nil), changedKey: key, previous: document, now: now)
    }

    /// Writes the commented default file; refuses to replace an existing one unless `force`, and then backs it up.
    package func writeDefaults(force: Bool, now: Date = Date()) throws(ConfigError) -> Outcome {
        let exists = FileManager.default.fileExists(atPath: path)
        if exists && !force {
            throw .invalidValue(key: "config init", message: "\(path) already exists; pass --force to replace it (a backup is kept)")
        }
        do {
            try FileStore.ensureDirectory(FileStore.parentDirectory(of: path))
            let backup = exists ? try FileStore.backup(path, now: now) : nil
            try FileStore.writeAtomically(ConfigTemplate.text(), to: path, mode: 0o600)
            return Outcome(backupPath: backup, otherProblems: [])
        } catch {
            throw .file(error)
        }
    }

    private func write(_ updated: ConfigDocument, changedKey: String, previous: ConfigDocument, now: Date) throws(ConfigError) -> Outcome {
        let problems = GHCConfig.check(updated).problems
        let own = problems.filter {
            $0.severity == .error
                && ($0.key == changedKey || $0.key?.hasPrefix(changedKey + ".") == true || $0.key?.hasPrefix(changedKey + "[") == true)
        }
        if let first = own.first {
            throw .invalidValue(key: first.key ?? changedKey, message: first.message + "; \(path) was not changed")
        }
        do {
            try FileStore.ensureDirectory(FileStore.parentDirectory(of: path))
            let backup = previous.text.isEmpty ? nil : try FileStore.backup(path, now: now)
            try FileStore.writeAtomically(updated.text, to: path, mode: FileStore.permissions(of: path) ?? 0o600)
            return Outcome(backupPath: backup, otherProblems: problems.filter { $0.key != changedKey })
        } catch {
            throw .file(error)
        }
    }

    private func nestedKind(of key: ConfigKey, depth: Int) -> ConfigValueKind {
        switch (key.kind, depth) {
        case (.mappingTable, 1): .stringMap
        case (.listTable, 1): .stringList
        default: .string
        }
    }

    private func parseValue(_ raw: String, kind: ConfigValueKind, keyPath: String) throws(ConfigError) -> Node {
        switch kind {
        case .string, .url, .choice:
            return Node(raw, Tag(.str), .any)
        default:
            do {
                return try Yams.compose(yaml: raw) ?? Node("null", Tag(.null))
            } catch {
                throw .invalidValue(key: keyPath, message: "'\(raw)' is not a valid YAML value")
            }
        }
    }

    private func setting(_ path: [String], in node: Node, to value: Node, keyPath: String) throws(ConfigError) -> Node {
        guard let head = path.first else { return value }
        var mapping: Node.Mapping
        switch node {
        case .mapping(let existing): mapping = existing
        case .scalar where node.null != nil: mapping = Node.Mapping([])
        default: throw .invalidValue(key: keyPath, message: "the current value is not a mapping")
        }
        let child = mapping[head] ?? Node("null", Tag(.null))
        mapping[head] = try setting(Array(path.dropFirst()), in: child, to: value, keyPath: keyPath)
        return .mapping(mapping)
    }
}
