import GHCCore

/// Claude Code's spellings of model names, and the Claude families, as Copilot's catalog names them.
///
/// Claude Code asks for `claude-opus-5-5`, `claude-sonnet-4-5-20250929` or `claude-opus-5-5[1m]`; Copilot's catalog
/// says `claude-opus-5.5` and `claude-sonnet-4.5`. A Claude model the catalog lacks falls back to the newest
/// model of its family, so a client that is newer (or older) than the catalog keeps working.
package enum ModelNames {
    /// The Claude families, as they appear in model ids.
    package static let claudeFamilies = ["opus", "sonnet", "haiku"]

    /// Copilot's spelling of a Claude name: `[…]` suffixes, date stamps and `-latest` dropped, and the version's dash
    /// made a dot (`claude-opus-5-5` → `claude-opus-5.5`). Other names are returned trimmed, otherwise as they are.
    package static func normalise(_ name: String) -> String {
        var name = name.trimmedWhitespace
        if name.hasSuffix("]"), let open = name.lastIndex(of: "[") { name = String(name[..<open]) }
        guard name.lowercased().hasPrefix("claude-") else { return name }
        var parts = name.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        if let last = parts.last, last == "latest" || (last.count == 8 && last.allSatisfy(\.isASCIIDigit)) { parts.removeLast() }
        // claude-<family>-<major>-<minor>: the minor version is one or two digits (a date has eight).
        if parts.count == 4, claudeFamilies.contains(parts[1].lowercased()), parts[2].allSatisfy(\.isASCIIDigit), !parts[2].isEmpty,
            (1...2).contains(parts[3].count), parts[3].allSatisfy(\.isASCIIDigit)
        {
            return "\(parts[0])-\(parts[1])-\(parts[2]).\(parts[3])"
        }
        return parts.joined(separator: "-")
    }

    /// The Claude family a name belongs to (`opus`, `sonnet` or `haiku`), also for the bare aliases; `nil` for other models.
    package static func claudeFamily(_ name: String) -> String? {
        let lowered = name.lowercased()
        if claudeFamilies.contains(lowered) { return lowered }
        guard lowered.hasPrefix("claude-") else { return nil }
        let words = lowered.split(whereSeparator: { $0 == "-" || $0 == "." })
        return claudeFamilies.first { family in words.contains { $0 == family } }
    }

    /// The newest model of `family` among catalog ids: the highest version, and of equal versions the shortest id
    /// (`claude-opus-5.5` before `claude-opus-5.5-fast`).
    package static func newest(of family: String, among ids: [String]) -> String? {
        let candidates = ids.filter { $0.lowercased().hasPrefix("claude-") && claudeFamily($0) == family }
        return candidates.max { lhs, rhs in
            let (left, right) = (version(lhs), version(rhs))
            if left != right { return left.lexicographicallyPrecedes(right) }
            return lhs.count > rhs.count
        }
    }

    /// The version numbers in a Claude id, in order: `claude-opus-4.5` → [4, 5], `claude-3-7-sonnet` → [3, 7].
    static func version(_ id: String) -> [Int] {
        id.split(whereSeparator: { $0 == "-" || $0 == "." })
            .filter { $0.count <= 2 && $0.allSatisfy(\.isASCIIDigit) }
            .compactMap { Int($0) }
    }
}

extension Character {
    /// Whether this is one of the ASCII digits 0-9.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
