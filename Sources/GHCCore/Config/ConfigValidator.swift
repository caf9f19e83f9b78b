import Yams

/// Turns YAML nodes into checked values, reporting every mismatch with its line and key path.
struct ConfigValidator {
    /// The file named in problems.
    let path: String
    /// Problems found so far.
    private(set) var problems: [ConfigProblem] = []

    /// Creates a validator whose problems name the file at `path`.
    init(path: String) {
        self.path = path
    }

    /// Legacy keys of ghc-api 1.0.31 features this version does not have: kept, ignored, not type-checked.
    static let legacyPrefixes = ["webiq_", "anysearch_", "log_webiq", "log_anysearch", "anthropic_responses_replay_"]
    /// Whole legacy key names of ghc-api 1.0.31 features, treated like `legacyPrefixes`.
    static let legacyNames: Set<String> = ["enable_webiq_search", "anthropic_responses_compat_mode"]

    /// Checks every top-level entry of a document and returns the valid values by key.
    mutating func validate(_ document: ConfigDocument) -> [String: JSONValue] {
        var values: [String: JSONValue] = [:]
        for entry in document.entries {
            guard let key = ConfigSchema.key(named: entry.key) else {
                let legacy = Self.legacyNames.contains(entry.key) || Self.legacyPrefixes.contains { entry.key.hasPrefix($0) }
                let message =
                    legacy
                    ? "kept but ignored: a feature of ghc-api 1.0.31 this version does not have"
                    : "unknown key, kept but ignored"
                        + (Suggestion.closest(to: entry.key, among: ConfigSchema.keys.map(\.name)).map { "; did you mean '\($0)'?" } ?? "")
                problems.append(ConfigProblem(.warning, file: path, line: entry.line, key: entry.key, message: message))
                continue
            }
            if case .ignored(let reason) = key.effect {
                problems.append(
                    ConfigProblem(.warning, file: path, line: entry.line, key: key.name, message: "kept but ignored: \(reason)")
                )
            }
            if let value = check(entry.value, as: key.kind, keyPath: key.name) {
                values[key.name] = value
            }
        }
        return values
    }

    /// Checks one node against a kind; `nil` (with a problem recorded) when it does not fit.
    mutating func check(_ node: Node, as kind: ConfigValueKind, keyPath: String) -> JSONValue? {
        switch kind {
        case .string:
            guard let text = scalarText(node) else { return fail(node, keyPath, kind) }
            return .string(text)
        case .url:
            guard let text = scalarText(node) else { return fail(node, keyPath, kind) }
            if text.isEmpty { return "" }
            guard URLText.isHTTPURL(text) else { return fail(node, keyPath, kind, got: "'\(text)'") }
            return .string(text)
        case .bool:
            guard let flag = Self.bool(node) else { return fail(node, keyPath, kind) }
            return .bool(flag)
        case .integer(let min, let max):
            guard isPlainScalar(node), let number = node.int, number >= min, number <= max else { return fail(node, keyPath, kind) }
            return .int(number)
        case .number(let min, let max):
            guard isPlainScalar(node), let number = node.float, number.isFinite, number >= min, number <= max else {
                return fail(node, keyPath, kind)
            }
            return .double(number)
        case .choice(let options):
            guard let text = scalarText(node), options.contains(text) else { return fail(node, keyPath, kind) }
            return .string(text)
        case .stringList:
            if isNull(node) { return [] }
            guard case .sequence(let sequence) = node else { return fail(node, keyPath, kind) }
            var items: [JSONValue] = []
            for (index, item) in sequence.enumerated() {
                guard let text = scalarText(item) else { return fail(item, "\(keyPath)[\(index)]", .string) }
                items.append(.string(text))
            }
            return .array(items)
        case .stringMap:
            if isNull(node) { return [:] }
            guard case .mapping(let mapping) = node else { return fail(node, keyPath, kind) }
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping {
                guard let name = scalarText(key), !name.isEmpty else { return fail(key, keyPath, .string) }
                guard let text = scalarText(value) else { return fail(value, "\(keyPath).\(name)", .string) }
                members[name] = .string(text)
            }
            return .object(members)
        case .mappingTable, .listTable:
            return checkTable(node, as: kind, keyPath: keyPath)
        case .agentTable:
            return checkAgents(node, keyPath: keyPath)
        }
    }

    private mutating func checkAgents(_ node: Node, keyPath: String) -> JSONValue? {
        if isNull(node) { return [:] }
        guard case .mapping(let mapping) = node else { return fail(node, keyPath, .agentTable) }
        var agents: [String: JSONValue] = [:]
        for (key, value) in mapping {
            guard let name = scalarText(key), !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }) else {
                return fail(key, keyPath, .string)
            }
            if let line = scalarText(value) {
                agents[name] = .string(line)
                continue
            }
            guard case .mapping(let entry) = value else { return fail(value, "\(keyPath).\(name)", .agentTable) }
            var checked: [String: JSONValue] = [:]
            for (field, member) in entry {
                switch field.string ?? "" {
                case "command":
                    guard
                        let command = scalarText(member).map({ JSONValue.string($0) })
                            ?? check(member, as: .stringList, keyPath: "\(keyPath).\(name).command")
                    else { return nil }
                    checked["command"] = command
                case "env":
                    guard let env = check(member, as: .stringMap, keyPath: "\(keyPath).\(name).env") else { return nil }
                    checked["env"] = env
                default:
                    problems.append(
                        ConfigProblem(
                            .error,
                            file: path,
                            line: field.mark?.line,
                            key: "\(keyPath).\(name).\(field.string ?? "")",
                            message: "unknown entry; expected `command` or `env`"
                        )
                    )
                    return nil
                }
            }
            guard let command = checked["command"], command != .string(""), command != .array([]) else {
                problems.append(
                    ConfigProblem(.error, file: path, line: key.mark?.line, key: "\(keyPath).\(name)", message: "needs a `command`")
                )
                return nil
            }
            agents[name] = .object(checked)
        }
        return .object(agents)
    }

    private mutating func checkTable(_ node: Node, as kind: ConfigValueKind, keyPath: String) -> JSONValue? {
        if isNull(node) { return ["exact": kind == .mappingTable ? [:] : [], "prefix": kind == .mappingTable ? [:] : []] }
        guard case .mapping(let mapping) = node else { return fail(node, keyPath, kind) }
        let inner: ConfigValueKind = kind == .mappingTable ? .stringMap : .stringList
        var result: [String: JSONValue] = ["exact": kind == .mappingTable ? [:] : [], "prefix": kind == .mappingTable ? [:] : []]
        for (key, value) in mapping {
            let name = key.string ?? ""
            guard name == "exact" || name == "prefix" else {
                problems.append(
                    ConfigProblem(
                        .error,
                        file: path,
                        line: key.mark?.line,
                        key: "\(keyPath).\(name)",
                        message: "unknown entry; expected `exact` or `prefix`"
                    )
                )
                return nil
            }
            guard let checked = check(value, as: inner, keyPath: "\(keyPath).\(name)") else { return nil }
            result[name] = checked
        }
        return .object(result)
    }

    /// Reads a YAML boolean, also from the strings `true`, `false`, `yes`, `no`, `on`, `off`.
    static func bool(_ node: Node) -> Bool? {
        guard case .scalar(let scalar) = node else { return nil }
        switch scalar.string.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: return nil
        }
    }

    private func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain else { return false }
        return node.null != nil
    }

    private func isPlainScalar(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node else { return false }
        return scalar.style == .plain
    }

    /// The text of a scalar; a plain `null`/`~` is not a string.
    private func scalarText(_ node: Node) -> String? {
        guard case .scalar(let scalar) = node else { return nil }
        if scalar.style == .plain, node.null != nil { return nil }
        return scalar.string
    }

    private mutating func fail(_ node: Node, _ keyPath: String, _ kind: ConfigValueKind, got: String? = nil) -> JSONValue? {
        let found = got ?? Self.describe(node)
        problems.append(
            ConfigProblem(.error, file: path, line: node.mark?.line, key: keyPath, message: "expected \(kind.expectation), found \(found)")
        )
        return nil
    }

    /// A short description of what a node holds, for messages.
    static func describe(_ node: Node) -> String {
        switch node {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        case .scalar(let scalar):
            if scalar.style == .plain, node.null != nil { return "null" }
            let text = scalar.string.count > 40 ? String(scalar.string.prefix(40)) + "…" : scalar.string
            return "'\(text)'"
        }
    }
}

/// Checks on URL text without Foundation's URL parsing quirks.
package enum URLText {
    /// Whether `text` is an absolute http(s) URL with a host.
    package static func isHTTPURL(_ text: String) -> Bool {
        for scheme in ["https://", "http://"] where text.lowercased().hasPrefix(scheme) {
            let rest = text.dropFirst(scheme.count)
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            return !host.isEmpty && !host.contains(" ")
        }
        return false
    }

    /// The URL without trailing slashes.
    package static func trimmingTrailingSlashes(_ text: String) -> String {
        var result = Substring(text)
        while result.hasSuffix("/") { result = result.dropLast() }
        return String(result)
    }
}
