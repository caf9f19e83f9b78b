/// The type a config key accepts, with what makes a value valid.
package enum ConfigValueKind: Sendable, Equatable {
    /// Any string.
    case string
    /// Empty, or an absolute `http://` / `https://` URL.
    case url
    /// A boolean (`true`/`false`, also `yes`/`no`/`on`/`off`, quoted or not).
    case bool
    /// A whole number within the bounds.
    case integer(min: Int, max: Int)
    /// A number within the bounds.
    case number(min: Double, max: Double)
    /// One of the listed strings.
    case choice([String])
    /// A list of strings; `null` means empty.
    case stringList
    /// A mapping of string to string; `null` means empty.
    case stringMap
    /// `{exact: {from: to}, prefix: {from: to}}`, as `model_mappings`.
    case mappingTable
    /// `{exact: [..], prefix: [..]}`, as `chat_completions_model_support`.
    case listTable
    /// `{NAME: "command line"}` or `{NAME: {command: [argv…], env: {KEY: VALUE}}}`, as `acp_agents`.
    case agentTable

    /// How the kind reads in help text and errors.
    package var expectation: String {
        switch self {
        case .string: "a string"
        case .url: "an http(s) URL or an empty string"
        case .bool: "true or false"
        case .integer(let min, let max): max == Int.max ? "a whole number ≥ \(min)" : "a whole number from \(min) to \(max)"
        case .number(let min, let max): "a number from \(ConfigKey.format(min)) to \(ConfigKey.format(max))"
        case .choice(let values): "one of " + values.joined(separator: ", ")
        case .stringList: "a list of strings"
        case .stringMap: "a mapping of strings to strings"
        case .mappingTable: "a mapping with `exact` and `prefix` mappings of model names"
        case .listTable: "a mapping with `exact` and `prefix` lists of model names"
        case .agentTable: "a mapping of agent names to a command line, or to {command: [program, arguments…], env: {NAME: value}}"
        }
    }
}

/// Whether a key changes what this program does.
package enum ConfigKeyEffect: Sendable, Equatable {
    /// The key is used.
    case active
    /// The key belongs to a feature of ghc-api 1.0.31 this version does not have; it is kept and ignored.
    case ignored(String)
}

/// One key of `config.yaml`: its name, type, default and meaning.
package struct ConfigKey: Sendable {
    /// The top-level YAML key.
    package let name: String
    /// What values it accepts.
    package let kind: ConfigValueKind
    /// The value used when the key is absent.
    package let defaultValue: JSONValue
    /// The heading it is listed under.
    package let section: String
    /// One line on what it does.
    package let summary: String
    /// Whether this version uses it.
    package let effect: ConfigKeyEffect

    /// Creates a key description.
    package init(
        _ name: String,
        _ kind: ConfigValueKind,
        _ defaultValue: JSONValue,
        section: String,
        _ summary: String,
        effect: ConfigKeyEffect = .active
    ) {
        self.name = name
        self.kind = kind
        self.defaultValue = defaultValue
        self.section = section
        self.summary = summary
        self.effect = effect
    }

    /// A number without a trailing `.0` when it is whole.
    static func format(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
