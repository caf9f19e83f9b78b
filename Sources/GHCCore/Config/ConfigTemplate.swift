/// The commented `config.yaml` that `config init` writes, generated from the schema.
package enum ConfigTemplate {
    /// The full text: a header, then each section's keys at their defaults, each with its meaning, then the keys
    /// that are accepted but ignored, with why.
    package static func text() -> String {
        var lines = [
            "# ghc-api configuration. Every key is optional; a missing key takes the default shown here.",
            "# Check it with `ghc-api config check`; change it with `ghc-api config set KEY VALUE`.",
        ]
        var section = ""
        for key in ConfigSchema.keys where key.effect == .active {
            if key.section != section {
                section = key.section
                lines += ["", "# --- \(section) ---"]
            }
            lines.append("# \(key.summary)")
            let block = JSONValue.object([key.name: key.defaultValue]).yamlText
            lines.append(block)
        }
        lines += ["", "# --- Accepted from ghc-api 1.0.31 files but ignored by this version (`config check` warns) ---"]
        for key in ConfigSchema.keys {
            if case .ignored(let reason) = key.effect { lines.append("# \(key.name): \(reason)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
