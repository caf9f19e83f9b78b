#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writing to file descriptors with `write(2)`: every byte, retrying short writes and `EINTR`.
package enum Descriptor {
    /// Writes all of `bytes` to `descriptor`; returns `nil`, or the `errno` of the write that failed.
    package static func writeAll(_ descriptor: Int32, _ bytes: [UInt8]) -> Int32? {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return errno
            }
            offset += written
        }
        return nil
    }

    /// The text of an `errno` value.
    package static func reason(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
