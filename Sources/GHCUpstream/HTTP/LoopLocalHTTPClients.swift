import AsyncHTTPClient
import NIOCore
import NIOPosix

/// One HTTP client per event loop: a call made on a loop goes through that loop's client, whose pooled connections
/// all live on the same loop, so the request, its upstream exchange and its answer never change threads.
///
/// A single client shares one pool among all loops and hands a request to whichever idle connection it finds: at one
/// connection, a request read on one loop was sent from the other half the time, two thread hand-overs per request.
package struct LoopLocalHTTPClients: Sendable {
    /// The clients by the identity of their loop.
    private let clients: [ObjectIdentifier: HTTPClient]
    /// The client for calls made off the group's loops.
    package let shared: HTTPClient

    /// A client per loop of `group`, each made by `make` with that loop as its event loop group; `shared` serves
    /// callers that are not on one of them.
    package init(group: MultiThreadedEventLoopGroup = .singleton, shared: HTTPClient, make: (any EventLoop) -> HTTPClient) {
        var clients: [ObjectIdentifier: HTTPClient] = [:]
        for loop in group.makeIterator() { clients[ObjectIdentifier(loop)] = make(loop) }
        self.clients = clients
        self.shared = shared
    }

    /// The client of the loop this code runs on, else `shared`.
    package var current: HTTPClient {
        guard let loop = MultiThreadedEventLoopGroup.currentEventLoop else { return shared }
        return clients[ObjectIdentifier(loop)] ?? shared
    }

    /// Shuts every per-loop client down (not `shared`, which its owner shuts down).
    package func shutdown() async {
        for client in clients.values { try? await client.shutdown() }
    }
}
