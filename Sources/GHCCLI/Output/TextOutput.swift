import GHCCore
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Somewhere text goes: a file descriptor, or a buffer in tests.
public protocol TextOutput: Sendable {
    /// Writes `text` as it is (no newline added).
    func write(_ text: String)
}

extension TextOutput {
    /// Writes `text` and a newline.
    public func line(_ text: String = "") {
        write(text + "\n")
    }
}

/// Writes straight to a file descriptor with `write(2)`, so output is never held back in a buffer.
public struct FileDescriptorOutput: TextOutput {
    /// The descriptor (1 for stdout, 2 for stderr).
    public let descriptor: Int32

    /// Creates an output for a descriptor.
    public init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes every byte, retrying short writes and `EINTR` (a closed pipe loses the text, as `print` would).
    public func write(_ text: String) {
        _ = Descriptor.writeAll(descriptor, Array(text.utf8))
    }

    /// Whether the descriptor is a terminal.
    public var isTerminal: Bool { isatty(descriptor) == 1 }
}

/// Collects text in memory, for tests.
public final class BufferedOutput: TextOutput {
    private let storage = Mutex("")

    /// Creates an empty buffer.
    public init() {}

    /// Appends `text`.
    public func write(_ text: String) {
        storage.withLock { $0 += text }
    }

    /// Everything written so far.
    public var text: String { storage.withLock { $0 } }
}
