import GHCCore
import GHCHTTP
import Hummingbird
import NIOCore

/// `GET/POST /api/runtime-config`: read and change the keys that take effect without a restart; a change can
/// be saved to `config.yaml` (keeping comments, with a backup).
struct RuntimeConfigRoutes: Sendable {
    /// The live configuration that changes are applied to.
    let config: LiveConfig
    /// The path of `config.yaml`, where changes are saved on request.
    let configFile: String

    /// Keys a running server applies at once, each read on every request. The editor identity and connection retries
    /// are fixed when the upstream client is built, so they are changed in config.yaml and take effect on restart.
    static let editable = [
        "model_mappings", "anthropic_system_messages", "system_prompt_remove", "system_prompt_add", "tool_result_suffix_remove",
        "save_request_to_file", "cache_max_request_size", "sse_keepalive_interval",
    ]

    /// The editable keys' current values, the list of editable keys, and the config file's path.
    func current() -> Response {
        let values = config.current
        return JSONResponse.make([
            "config": .object(Dictionary(uniqueKeysWithValues: Self.editable.map { ($0, values.value($0)) })),
            "editable": .array(Self.editable.map(JSONValue.string)),
            "config_file": .string(configFile),
        ])
    }

    /// Checks and applies changes to editable keys, saving them to the file when `save` is true; 400 for a bad body, a key not editable, or an invalid value.
    func change(_ request: Request) async throws -> Response {
        var request = request
        let bytes = Array(buffer: try await request.collectBody(upTo: 1 << 20))
        guard let body = try? JSONValue.parse(bytes), let changes = (body["changes"] ?? body).objectValue else {
            return JSONResponse.make(["error": "send a JSON object: {\"changes\": {key: value}, \"save\": bool}"], status: .badRequest)
        }
        let unknown = changes.keys.filter { !Self.editable.contains($0) }.sorted()
        if !unknown.isEmpty {
            return JSONResponse.make(
                ["error": .string("not changeable at runtime: \(unknown.joined(separator: ", "))")],
                status: .badRequest
            )
        }
        let save = body["save"]?.boolValue ?? false
        do {
            let (values, outcome) = try ConfigEditor(path: configFile).apply(changes, save: save)
            var updated = config.current
            for (key, value) in values { updated.override(key, value) }
            config.replace(updated)
            return JSONResponse.make([
                "config": .object(Dictionary(uniqueKeysWithValues: Self.editable.map { ($0, updated.value($0)) })),
                "saved_to": save ? .string(configFile) : .null, "backup": outcome?.backupPath.map(JSONValue.string) ?? .null,
            ])
        } catch {
            return JSONResponse.make(["error": .string(error.description)], status: .badRequest)
        }
    }
}
