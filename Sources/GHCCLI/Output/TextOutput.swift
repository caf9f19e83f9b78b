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
package protocol TextOutput: Sendable {
    /// Writes `text` as it is (no newline added).
    func write(_ text: String)
}

extension TextOutput {
    /// Writes `text` and a newline.
    package func line(_ text: String = "") {
        write(text + "\n")
    }
}

/// Writes straight to a file descriptor with `write(2)`, so output is never held back in a buffer.
package struct FileDescriptorOutput: TextOutput {
    /// The descriptor (1 for stdout, 2 for stderr).
    package let descriptor: Int32

    /// Creates an output for a descriptor.
    package init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Writes every byte, retrying short writes and `EINTR` (a closed pipe loses the text, as `print` would).
    package func write(_ text: String) {
        _ = Descriptor.writeAll(descriptor, Array(text.utf8))
    }

    /// Whether the descriptor is a terminal.
    package var isTerminal: Bool { isatty(descriptor) == 1 }
}

/// Collects text in memory, for tests.
package final class BufferedOutput: TextOutput {
    private let storage = Mutex("")

    /// Creates an empty buffer.
    package init() {}

    /// Appends `text`.
    package func write(_ text: String) {
        storage.withLock { $0 += text }
    }

    /// Everything written so far.
    package var text: String { storage.withLock { $0 } }
}
