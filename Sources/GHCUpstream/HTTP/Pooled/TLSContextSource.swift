import NIOSSL
import Synchronization

/// The TLS context of a client's `https` connections, made on first use (it reads the system's trust roots).
final class TLSContextSource: Sendable {
    private let configuration: TLSConfiguration
    private let made = Mutex<Result<NIOSSLContext, any Error>?>(nil)

    /// A source for `configuration`.
    init(configuration: TLSConfiguration) {
        self.configuration = configuration
    }

    /// The context, made once; a failure to make it is kept and thrown again.
    func context() throws -> NIOSSLContext {
        let result = made.withLock { made in
            if let made { return made }
            let result = Result<NIOSSLContext, any Error> { try NIOSSLContext(configuration: configuration) }
            made = result
            return result
        }
        return try result.get()
    }
}
