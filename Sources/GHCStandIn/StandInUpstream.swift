import GHCCore
import Hummingbird
import Logging
import NIOCore

/// A real HTTP server on a loopback port that speaks enough of GitHub and Copilot for tests and `serve --demo`:
/// the device flow, `/user`, `/copilot_internal/user`, the token exchange, `/models` and `/chat/completions`
/// (JSON and SSE, with tools), with scripted faults and a log of every request.
package struct StandInUpstream: Sendable {
    /// `http://127.0.0.1:PORT`
    package let baseURL: String
    /// The port it listens on.
    package let port: Int
    /// Its scenario and request log.
    package let state: StandInState
    private let task: Task<Void, any Error>

    /// Starts a stand-in on an ephemeral (or the given) loopback port and returns once it accepts connections.
    /// - Parameter scenarioControl: whether tests may script it over HTTP (`/_standin/…`); `serve --demo` runs
    ///   without, so no web page can change what the demo answers.
    package static func start(
        scenario: StandInScenario = StandInScenario(),
        port: Int = 0,
        scenarioControl: Bool = true,
        logger: Logger = Logger(label: "stand-in")
    ) async throws -> StandInUpstream {
        try await start(state: StandInState(scenario: scenario), port: port, scenarioControl: scenarioControl, logger: logger)
    }

    /// Starts a stand-in over existing state, so two ports can act as one upstream (tokens issued by one work on the other).
    package static func start(
        state: StandInState,
        port: Int = 0,
        scenarioControl: Bool = true,
        logger: Logger = Logger(label: "stand-in")
    ) async throws -> StandInUpstream {
        let (portStream, portContinuation) = AsyncStream.makeStream(of: Int.self)
        var quietLogger = logger
        quietLogger.logLevel = .critical
        let application = Application(
            router: buildStandInRouter(state: state, scenarioControl: scenarioControl),
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: port), serverName: "ghc-api-stand-in"),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: quietLogger
        )
        let task = Task {
            defer { portContinuation.finish() }
            try await application.run()
        }
        var iterator = portStream.makeAsyncIterator()
        guard let bound = await iterator.next(), bound > 0 else {
            task.cancel()
            _ = try await task.value
            throw StandInError.couldNotStart
        }
        return StandInUpstream(baseURL: "http://127.0.0.1:\(bound)", port: bound, state: state, task: task)
    }

    /// Stops the server and waits until it has closed its port.
    package func stop() async {
        task.cancel()
        _ = try? await task.value
    }

    /// Runs `body` with a started stand-in and stops it afterwards, also when `body` throws.
    package static func with<T: Sendable>(
        scenario: StandInScenario = StandInScenario(),
        _ body: (StandInUpstream) async throws -> T
    ) async throws -> T {
        let upstream = try await start(scenario: scenario)
        do {
            let result = try await body(upstream)
            await upstream.stop()
            return result
        } catch {
            await upstream.stop()
            throw error
        }
    }
}

/// Errors of the stand-in.
package enum StandInError: Error, CustomStringConvertible {
    /// The server did not bind its port.
    case couldNotStart

    /// One line for the user.
    package var description: String { "the stand-in upstream could not start" }
}
