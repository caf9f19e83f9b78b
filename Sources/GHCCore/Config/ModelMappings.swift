/// Client model names to Copilot model names (`model_mappings`).
package struct ModelMappings: Sendable, Equatable {
    /// Whole names.
    package let exact: [String: String]
    /// Name prefixes.
    package let prefix: [String: String]

    /// Reads the checked `model_mappings` value.
    package init(_ value: JSONValue) {
        func table(_ name: String) -> [String: String] {
            (value[name]?.objectValue ?? [:]).compactMapValues(\.stringValue)
        }
        exact = table("exact")
        prefix = table("prefix")
    }

    /// Creates mappings from tables.
    package init(exact: [String: String], prefix: [String: String]) {
        self.exact = exact
        self.prefix = prefix
    }

    /// The Copilot name for `model`: an exact entry first, then the longest matching prefix, else unchanged.
    /// (ghc-api 1.0.31 takes the first prefix in file order, so a short prefix could shadow a longer one.)
    package func map(_ model: String) -> String {
        match(model) ?? model
    }

    /// The Copilot name an entry gives `model`, or `nil` when no entry matches.
    package func match(_ model: String) -> String? {
        if let target = exact[model] { return target }
        var best: (length: Int, target: String)?
        for (from, to) in prefix where model.hasPrefix(from) && from.count > (best?.length ?? -1) {
            best = (from.count, to)
        }
        return best?.target
    }
}
