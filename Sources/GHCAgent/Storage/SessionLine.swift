import Foundation
import GHCCore
import GHCStore

/// One line of a `<session id>.jl.b64gz` file: `base64(gzip(UTF-8 JSON))` and a newline, as ghc-api 1.0.31 writes.
package enum SessionLine {
    /// The most a line may inflate to.
    package static let inflateLimit = 64 << 20

    /// The record as a line, newline included.
    package static func encode(_ record: JSONValue) throws(AgentError) -> [UInt8] {
        do {
            var line = Array(Data(try Compression.gzip(JSONWriter.bytes(record))).base64EncodedString().utf8)
            line.append(UInt8(ascii: "\n"))
            return line
        } catch {
            throw .storage("cannot compress a session record: \(error)")
        }
    }

    /// The record on a line, or nil when the line is damaged (it is then skipped, as the original does).
    package static func decode(_ line: some StringProtocol) -> JSONValue? {
        let text = line.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty, let data = Data(base64Encoded: String(text)) else { return nil }
        guard let json = try? Compression.gunzip(Array(data), limit: inflateLimit) else { return nil }
        return try? JSONParser.parse(json)
    }
}
