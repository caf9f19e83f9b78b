import GHCCore
import GHCHTTP
import GHCSync
import Hummingbird

/// The config manager's routes, with ghc-api 1.0.31's paths and shapes: status, push, pull, and the machines' hashes.
struct ConfigManagerRoutes: Sendable {
    /// The live configuration (`disable_onedrive_access`, `onedrive_path`, `machine_name`).
    let config: LiveConfig
    /// The path of `config.yaml`.
    let configFile: String
    /// The environment and home folder.
    let sync: SyncEnvironment

    /// Adds the routes to `router`.
    func add<Context: RequestContext>(to router: Router<Context>) {
        router.get("/code-agent-manager") { _, _ in DashboardRoutes.asset("code-agent-manager.html") }
        router.get("/api/config-manager/status") { _, _ in
            let (session, problem) = open()
            return JSONResponse.make(SyncReport.status(session, disabled: config.current.disablesOneDrive, problem: problem))
        }
        router.get("/api/config-manager/config-hashes") { _, _ in
            JSONResponse.make(SyncReport.hashes(open().session, disabled: config.current.disablesOneDrive))
        }
        router.get("/api/config-manager/diff") { _, _ in diff() }
        router.post("/api/config-manager/sync-to-onedrive") { _, _ in transfer(push: true) }
        router.post("/api/config-manager/sync-from-onedrive") { _, _ in transfer(push: false) }
    }

    /// `{"claude": ["--- …", …], …}`: each file's unified diff, OneDrive's against this machine's.
    private func diff() -> Response {
        guard let session = open().session else { return JSONResponse.make(["diffs": [:]]) }
        var diffs: [String: JSONValue] = [:]
        for key in SyncKey.allCases {
            diffs[key.rawValue] = .array(((try? session.diff(key)) ?? []).map(JSONValue.string))
        }
        return JSONResponse.make(["diffs": .object(diffs)])
    }

    /// A push or pull of every file: 200 with what was copied, skipped and backed up, or 400 with `{ok: false, error}`.
    private func transfer(push: Bool) -> Response {
        let (session, problem) = open()
        guard let session else { return failure(problem ?? .disabled) }
        do {
            let outcomes = try push ? session.push(SyncKey.allCases, dryRun: false) : session.pull(SyncKey.allCases, dryRun: false)
            return JSONResponse.make(
                SyncReport.transfer(outcomes, session: session, pushed: push, disabled: config.current.disablesOneDrive)
            )
        } catch {
            return failure(error)
        }
    }

    private func failure(_ error: SyncError) -> Response {
        JSONResponse.make(["ok": false, "error": .string(error.description)], status: .badRequest)
    }

    private func open() -> (session: SyncSession?, problem: SyncError?) {
        do {
            let session = try SyncSetup.session(
                config: config.current,
                configFile: configFile,
                sync: sync
            )
            return (session, nil)
        } catch {
            return (nil, error)
        }
    }
}
