/// Keeps secrets out of logs and messages.
package enum Redaction {
    /// A short, safe prefix of a secret, such as `gho_ab…` (at most six characters are shown).
    package static func prefix(of secret: String) -> String {
        guard !secret.isEmpty else { return "(empty)" }
        return String(secret.prefix(min(6, secret.count / 3))) + "…"
    }

    /// `text` with anything that looks like a GitHub or Copilot token replaced by its short prefix.
    package static func scrub(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.count)
        var word = ""
        func flush() {
            output += looksLikeToken(word) ? prefix(of: word) : word
            word = ""
        }
        for character in text {
            if character.isLetter || character.isNumber || character == "_" || character == "=" || character == ";" || character == "-"
                || character == "." || character == ":"
            {
                word.append(character)
            } else {
                flush()
                output.append(character)
            }
        }
        flush()
        return output
    }

    private static func looksLikeToken(_ word: String) -> Bool {
        for marker in ["gho_", "ghu_", "ghp_", "ghs_", "ghr_", "github_pat_"] where word.hasPrefix(marker) && word.count > marker.count + 8
        {
            return true
        }
        return word.hasPrefix("tid=") && word.count > 20
    }
}
