import GHCCore

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Carries a Responses `reasoning` item through a client that only knows Anthropic `thinking` blocks: the
/// encrypted reasoning rides in the block's `signature`, and comes back as a `reasoning` item next turn.
/// The format is ghc-api 1.0.31's, so conversations move between the two programs.
package enum ReasoningCarrier {
    /// The start of every signature that carries reasoning.
    static let prefix = "ghc-api:responses-reasoning:v1:"

    /// The signature for an encrypted reasoning item.
    package static func signature(encryptedContent: String, itemID: String?, model: String) -> String {
        let payload: JSONValue = [
            "encrypted_content": .string(encryptedContent), "item_id": itemID.map(JSONValue.string) ?? .null,
            "model": .string(model), "wire_profile": "public_responses",
        ]
        let base64 = Data(JSONWriter.bytes(payload)).base64EncodedString()
        var url = ""
        for character in base64 {
            switch character {
            case "+": url.append("-")
            case "/": url.append("_")
            case "=": continue
            default: url.append(character)
            }
        }
        return prefix + url
    }

    /// The encrypted reasoning in a signature this program made, or `nil` for any other signature.
    package static func encryptedContent(in signature: String) -> (content: String, itemID: String?)? {
        guard signature.hasPrefix(prefix) else { return nil }
        var base64 = String(signature.dropFirst(prefix.count)).map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 }.map(String.init).joined()
        while base64.count % 4 != 0 { base64 += "=" }
        guard let data = Data(base64Encoded: base64), let json = try? JSONValue.parse(Array(data)),
            let content = json["encrypted_content"]?.stringValue
        else { return nil }
        return (content, json["item_id"]?.stringValue)
    }
}
