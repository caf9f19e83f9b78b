import GHCCore
import GHCStore
import GHCUpstream

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Talking to a running server's archive APIs.
enum ServerArchive {
    /// Headers for the server: an API key from config when it has some.
    static func headers(_ config: GHCConfig) -> [(String, String)] {
        config.apiKeys.first.map { [("Authorization", "Bearer \($0)")] } ?? []
    }

    /// Downloads `/api/requests/export` to a temporary file and returns its path.
    static func download(server: String, config: GHCConfig, context: CommandContext) async throws -> String {
        let url = URLText.trimmingTrailingSlashes(server) + "/api/requests/export"
        let response = try await context.http.send(
            UpstreamRequest(method: "GET", url: url, headers: headers(config)),
            timeout: .seconds(300),
            maxBodyBytes: 4 << 30
        )
        guard response.status == 200 else {
            throw UpstreamError.status(url: url, code: response.status, body: String(response.text.prefix(200)))
        }
        let path = (context.environment["TMPDIR"] ?? "/tmp") + "/ghc-api-export-\(UUID().uuidString)"
        let writer = try ArchiveWriter(path: path, gzip: false)
        try writer.write(response.body)
        try writer.close()
        return path
    }

    /// Streams an archive file (as it is, gzip or plain: the server decodes it as it arrives) to
    /// `/api/requests/import` and returns the server's report.
    static func upload(file: String, server: String, config: GHCConfig, context: CommandContext) async throws -> JSONValue {
        let url = URLText.trimmingTrailingSlashes(server) + "/api/requests/import"
        let response = try await context.http.post(
            file: file,
            url: url,
            headers: headers(config) + [("Content-Type", "application/x-jsonlines")],
            timeout: .seconds(3600)
        )
        let json = try response.json(url: url)
        guard response.status == 200 else {
            throw UpstreamError.status(url: url, code: response.status, body: json["error"]?.stringValue ?? response.text)
        }
        return json
    }
}
