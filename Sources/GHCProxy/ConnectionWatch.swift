import NIOCore
import Synchronization

/// What a connection's `ClientEndCloser` tells the requests on it: whether the client is gone, and whom to tell
/// when it goes. One per connection, found by its channel, so a request watches its client without a timer or a
/// task of its own.
final class ConnectionWatch: Sendable {
    private struct State {
        var closed = false
        var listeners: [UInt64: @Sendable () -> Void] = [:]
        var nextID: UInt64 = 0
    }

    private let state = Mutex(State())

    /// The watches of the open connections, by channel.
    private static let registry = Mutex<[ObjectIdentifier: ConnectionWatch]>([:])

    /// The watch of `channel`, when a `ClientEndCloser` is in its pipeline.
    static func of(_ channel: any Channel) -> ConnectionWatch? {
        registry.withLock { $0[ObjectIdentifier(channel)] }
    }

    /// Starts watching `channel`.
    static func begin(_ channel: any Channel) {
        let watch = ConnectionWatch()
        registry.withLock { $0[ObjectIdentifier(channel)] = watch }
    }

    /// The connection of `channel` is gone: its listeners are told, and its watch forgotten.
    static func end(_ channel: any Channel) {
        let watch = registry.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) }
        watch?.close()
    }

    /// Whether the client is gone.
    var isClosed: Bool { state.withLock { $0.closed } }

    /// Calls `listener` (once) when the client goes; returns its id for `remove`, or `nil` when it is gone already.
    func onClose(_ listener: @escaping @Sendable () -> Void) -> UInt64? {
        state.withLock { state in
            guard !state.closed else { return nil }
            state.nextID += 1
            state.listeners[state.nextID] = listener
            return state.nextID
        }
    }

    /// Stops telling the listener `id`.
    func remove(_ id: UInt64) {
        _ = state.withLock { $0.listeners.removeValue(forKey: id) }
    }

    private func close() {
        let listeners = state.withLock { state -> [@Sendable () -> Void] in
            state.closed = true
            defer { state.listeners = [:] }
            return Array(state.listeners.values)
        }
        for listener in listeners { listener() }
    }
}
