import AsyncHTTPClient
import GHCUpstream
import NIOCore
import NIOPosix
import Testing

@Suite("Per-loop HTTP clients")
struct LoopLocalHTTPClientsTests {
    @Test("a call made on an event loop goes through the client whose connections live on that loop")
    func aCallOnALoopUsesThatLoopsClient() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let shared = HTTPClient(eventLoopGroup: group)
        let clients = LoopLocalHTTPClients(group: group, shared: shared) { HTTPClient(eventLoopGroup: $0) }
        #expect(clients.current === shared, "off the loops, the shared client")
        var used: [ObjectIdentifier] = []
        for loop in group.makeIterator() {
            let client = try await loop.submit { clients.current }.get()
            #expect(client.eventLoopGroup === loop)
            used.append(ObjectIdentifier(client))
        }
        #expect(Set(used).count == 2, "each loop has a client of its own")
        await clients.shutdown()
        try await shared.shutdown()
        try await group.shutdownGracefully()
    }
}
