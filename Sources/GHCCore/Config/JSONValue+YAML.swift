import Yams

extension JSONValue {
    /// This value as a YAML node (mapping keys sorted, so output is stable).
    package var yamlNode: Node {
        switch self {
        case .null: return Node("null", Tag(.null))
        case .bool(let value): return Node(value ? "true" : "false", Tag(.bool))
        case .int(let value): return Node(String(value), Tag(.int))
        case .double(let value): return Node(ConfigKey.format(value), Tag(.float))
        case .string(let value):
            // Quote strings a YAML reader would take for something else ("", "1.100", "true", "null").
            let plain = Node(value)
            let ambiguous = value.isEmpty || plain.null != nil || plain.bool != nil || plain.int != nil || plain.float != nil
            return Node(value, Tag(.str), ambiguous ? .doubleQuoted : .any)
        case .array(let items): return Node(items.map(\.yamlNode), Tag(.seq), .block)
        case .object(let members):
            let pairs = members.keys.sorted().map { (Node($0), members[$0]?.yamlNode ?? Node("null", Tag(.null))) }
            return Node(pairs, Tag(.map), .block)
        }
    }

    /// This value as YAML text for humans (`config get`).
    package var yamlText: String {
        switch self {
        case .string(let text): return text
        case .array, .object:
            return ((try? Yams.serialize(node: yamlNode, width: -1, allowUnicode: true)) ?? jsonString()).trimmedWhitespace
        default:
            return ((try? Yams.serialize(node: yamlNode)) ?? jsonString()).trimmedWhitespace
        }
    }
}
