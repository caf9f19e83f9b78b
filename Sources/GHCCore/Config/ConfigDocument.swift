import Yams

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The text of a `config.yaml` and its parsed tree.
///
/// Edits replace only the block of the top-level key they change, so comments and every other key,
/// unknown ones included, stay exactly as the user wrote them.
package struct ConfigDocument {
    /// The file the text came from (used in messages).
    package let path: String
    /// The full text.
    package let text: String
    /// The top-level mapping, or `nil` for an empty file.
    let root: Node.Mapping?

    /// Parses `text`; a YAML syntax error or a non-mapping document is reported with its line.
    package init(path: String, text: String) throws(ConfigError) {
        self.path = path
        self.text = text
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw .invalid([Self.problem(from: error, path: path)])
        } catch {
            throw .invalid([ConfigProblem(.error, file: path, line: nil, key: nil, message: "not valid YAML: \(error)")])
        }
        switch node {
        case nil:
            root = nil
        case .mapping(let mapping)?:
            root = mapping
        case .scalar(let scalar)? where scalar.string.isEmpty || scalar.tag == .implicit && Node.scalar(scalar).null != nil:
            root = nil
        case let other?:
            throw .invalid([
                ConfigProblem(
                    .error,
                    file: path,
                    line: other.mark?.line,
                    key: nil,
                    message: "expected a mapping of keys to values at the top level"
                )
            ])
        }
    }

    /// Reads the document at `path`; a missing file is an empty document.
    package static func load(path: String) throws(ConfigError) -> ConfigDocument {
        let text: String?
        do {
            text = try FileStore.readText(path)
        } catch {
            throw .file(error)
        }
        return try ConfigDocument(path: path, text: text ?? "")
    }

    /// The top-level keys in file order, with their value nodes and lines.
    var entries: [(key: String, value: Node, line: Int?)] {
        guard let root else { return [] }
        return root.map { pair in (pair.key.string ?? "\(pair.key)", pair.value, pair.key.mark?.line) }
    }

    /// The value node of a top-level key.
    func node(for key: String) -> Node? {
        entries.first { $0.key == key }?.value
    }

    /// A new document with the top-level `key` set to `value` (or removed when `value` is nil).
    /// Its block of lines is replaced in place; a new key is appended at the end.
    package func replacing(key: String, with value: Node?) throws(ConfigError) -> ConfigDocument {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        var replacement: [String] = []
        if let value {
            let block: String
            do {
                block = try Yams.serialize(node: .mapping(Node.Mapping([(Node(key), value)])), width: -1, allowUnicode: true)
            } catch {
                throw .invalidValue(key: key, message: "cannot be written as YAML: \(error)")
            }
            replacement = block.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
        }
        if let range = blockRange(of: key, in: lines) {
            lines.replaceSubrange(range, with: replacement)
        } else {
            lines.append(contentsOf: replacement)
        }
        return try ConfigDocument(path: path, text: lines.joined(separator: "\n") + "\n")
    }

    /// The lines of a top-level key's block: its own line and the indented lines after it,
    /// leaving trailing comments and blank lines to whatever follows.
    private func blockRange(of key: String, in lines: [String]) -> Range<Int>? {
        guard let startLine = entries.first(where: { $0.key == key })?.line else { return nil }
        let start = startLine - 1
        guard start < lines.count else { return nil }
        var end = start + 1
        var lastContent = start
        while end < lines.count {
            let line = lines[end]
            let trimmed = line.trimmedWhitespace
            if let first = line.first, first != " ", first != "\t", !trimmed.hasPrefix("#") { break }
            if !trimmed.isEmpty && !trimmed.hasPrefix("#") { lastContent = end }
            end += 1
        }
        return start..<(lastContent + 1)
    }

    private static func problem(from error: YamlError, path: String) -> ConfigProblem {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) \($0.text)" } ?? problem
            return ConfigProblem(.error, file: path, line: mark.line, key: nil, message: "not valid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigProblem(.error, file: path, line: context.mark.line, key: duplicates.first, message: "key appears more than once")
        default:
            return ConfigProblem(.error, file: path, line: nil, key: nil, message: "not valid YAML: \(error)")
        }
    }
}
