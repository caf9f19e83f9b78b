import Dispatch
import Foundation
import GHCCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard input for an interactive command: lines read on a Dispatch thread, so a blocked read never holds one of
/// the few threads of Swift's cooperative pool (which the agent's session needs meanwhile).
struct TerminalInput: Sendable {
    /// Reads one line.
    let readLine: @Sendable () -> String?

    /// Whether standard input is a terminal.
    static var isTerminal: Bool { isatty(0) == 1 }

    /// The next line, or nil at end of input.
    func next() async -> String? {
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(returning: readLine()) }
        }
    }

    /// Everything left on standard input.
    func rest() async -> String {
        var lines: [String] = []
        while let line = await next() { lines.append(line) }
        return lines.joined(separator: "\n")
    }
}

/// Whether something listens on `address:port` (a running `ghc-api serve`), by connecting to it.
enum ListenerProbe {
    /// True when a TCP connection to the address succeeds within half a second.
    static func isListening(address: String, port: Int) -> Bool {
        let host = ProxyAddress.host(address: address)
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return false }
        defer { freeaddrinfo(found) }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let descriptor = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if descriptor >= 0 {
                var timeout = timeval(tv_sec: 0, tv_usec: 500_000)
                setsockopt(descriptor, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let connected = connect(descriptor, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0
                close(descriptor)
                if connected { return true }
            }
            entry = info.pointee.ai_next
        }
        return false
    }
}
